package dev.qastream.launcher.cluster;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import kafka.server.KafkaConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A real three-node KRaft cluster on localhost: each node is broker and controller in one, a separate {@code java}
 * process running Kafka's own {@code kafka.Kafka} main from the test classpath. Storage is formatted here, in
 * process, before a node first starts; a node can be killed (SIGKILL) and started again on its ports and data.
 */
public final class KafkaCluster implements AutoCloseable {
    public static final int NODES = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final String clusterId = Uuid.randomUuid().toString();
    private final int[] brokerPorts = new int[NODES];
    private final int[] controllerPorts = new int[NODES];
    private final Process[] nodes = new Process[NODES];
    private final Thread shutdownHook = new Thread(this::destroyAll, "kafka-cluster-stop");

    private KafkaCluster(Path dir) {
        this.dir = dir;
        for (int i = 0; i < NODES; i++) {
            brokerPorts[i] = freePort();
            controllerPorts[i] = freePort();
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Formats and starts the three nodes at once and returns when the cluster has all three brokers. */
    public static KafkaCluster start(Path dir) {
        KafkaCluster cluster = new KafkaCluster(dir.toAbsolutePath());
        try {
            for (int i = 0; i < NODES; i++) {
                cluster.format(i);
                cluster.startNode(i);
            }
            cluster.awaitBrokers(cluster.bootstrapServers(), NODES);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return IntStream.range(0, NODES).mapToObj(i -> "127.0.0.1:" + brokerPorts[i]).collect(Collectors.joining(","));
    }

    /** SIGKILL: no controlled shutdown, no leadership handed over, the log left as it was. */
    public void kill(int node) {
        Process p = nodes[node];
        if (p != null) {
            p.destroyForcibly();
            waitFor(p);
        }
    }

    /** Starts a killed node again on its ports and data; returns once the cluster has all its brokers again. */
    public void restart(int node) {
        startNode(node);
        awaitBrokers("127.0.0.1:" + brokerPorts[node], NODES);
    }

    public boolean alive(int node) {
        return nodes[node] != null && nodes[node].isAlive();
    }

    public Path logFile(int node) {
        return nodeDir(node).resolve("server.log");
    }

    @Override
    public void close() {
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs destroyAll anyway
        }
    }

    private void destroyAll() {
        for (Process p : nodes) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
        for (Process p : nodes) {
            if (p != null) {
                waitFor(p);
            }
        }
    }

    private Path nodeDir(int node) {
        return dir.resolve("node-" + (node + 1));
    }

    Properties properties(int node) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(node + 1));
        // A static voter set: every node knows the three controllers from its configuration.
        p.put("controller.quorum.voters", IntStream.range(0, NODES)
                .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts[i]).collect(Collectors.joining(",")));
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts[node] + ",CONTROLLER://127.0.0.1:" + controllerPorts[node]);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts[node]);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", nodeDir(node).resolve("data").toString());
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "3");
        // Production durability: three copies, a write needs two of them.
        p.put("default.replication.factor", "3");
        p.put("min.insync.replicas", "2");
        p.put("offsets.topic.replication.factor", "3");
        p.put("transaction.state.log.replication.factor", "3");
        p.put("transaction.state.log.min.isr", "2");
        p.put("share.coordinator.state.topic.replication.factor", "3");
        p.put("share.coordinator.state.topic.min.isr", "2");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("group.initial.rebalance.delay.ms", "0");
        // A killed node is fenced (and leaves every ISR) after 6 s instead of 9.
        p.put("broker.session.timeout.ms", "6000");
        p.put("broker.heartbeat.interval.ms", "1000");
        // A killed generation worker gives its partitions up after 10 s (as on the embedded broker).
        p.put("group.consumer.min.session.timeout.ms", "6000");
        p.put("group.consumer.session.timeout.ms", "10000");
        p.put("group.consumer.min.heartbeat.interval.ms", "1000");
        p.put("group.consumer.heartbeat.interval.ms", "2000");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        return p;
    }

    private void format(int node) {
        Properties props = properties(node);
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        try {
            Files.createDirectories(nodeDir(node).resolve("data"));
            try (Writer w = Files.newBufferedWriter(nodeDir(node).resolve("server.properties"))) {
                props.store(w, "node " + (node + 1) + " of a three-node test cluster");
            }
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(node + 1)
                    .setClusterId(clusterId)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .addDirectory(nodeDir(node).resolve("data").toString())
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot format node " + (node + 1), e);
        }
    }

    private void startNode(int node) {
        List<String> cmd = new ArrayList<>(List.of(ChildJvm.java(), "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), "kafka.Kafka",
                nodeDir(node).resolve("server.properties").toString()));
        try {
            nodes[node] = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(node).toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + (node + 1), e);
        }
    }

    /**
     * Waits until {@code bootstrap} answers with metadata listing {@code count} brokers: asked of a restarted node
     * alone, it is up and registered again.
     */
    private void awaitBrokers(String bootstrap, int count) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> conf = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(conf)) {
            Exception last = null;
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < NODES; i++) {
                    if (nodes[i] != null && !nodes[i].isAlive()) {
                        throw new IllegalStateException("node " + (i + 1) + " exited; see " + logFile(i));
                    }
                }
                try {
                    if (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() >= count) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } catch (Exception e) {
                    last = e;
                }
                ChildJvm.sleep(200);
            }
            throw new IllegalStateException("the cluster did not list " + count + " brokers within " + READY_TIMEOUT, last);
        }
    }

    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
