package dev.qastream.runtime.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Apicurio Registry, run as a child process from the distribution that the build unpacks, bound to
 * loopback and storing its schemas in an H2 file under the given directory (so ids survive restarts).
 */
public final class EmbeddedRegistry implements AutoCloseable {

    public static final String VERSION = "3.3.3";
    public static final String DIST_NAME = "apicurio-registry-" + VERSION;
    public static final String PLATFORM_DIR_PROPERTY = "qastream.platform.dir";
    public static final String PLATFORM_DIR_ENV = "QASTREAM_PLATFORM_DIR";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedRegistry.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** How long the admin API may answer 404 or 5xx after the registry first answers. */
    private static final Duration RULE_RETRY = Duration.ofSeconds(20);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final String url;
    private final Path logFile;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedRegistry(Process process, String url, Path logFile) {
        this.process = process;
        this.url = url;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stopProcess, "qastream-registry-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the registry with its data and log in {@code dataDir} (e.g. DATA/registry) on a free port. */
    public static EmbeddedRegistry start(Path dataDir) {
        return start(dataDir, 0);
    }

    public static EmbeddedRegistry start(Path dataDir, int httpPort) {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(dataDir, httpPort);
            } catch (IllegalStateException e) {
                // A port found free can be taken by another process before the registry binds it (tests and
                // builds beside each other): try again on new ports, a few times.
                boolean portTaken = String.valueOf(e.getMessage()).contains("Unable to start")
                        || String.valueOf(e.getMessage()).contains("already in use");
                if (!portTaken || attempt >= 3) {
                    throw e;
                }
                log.warn("Schema registry could not bind its ports (taken meanwhile); trying again on others");
            }
        }
    }

    private static EmbeddedRegistry startOnce(Path dataDir, int httpPort) {
        long t0 = System.nanoTime();
        Path dist = locateDistribution();
        Path dir = dataDir.toAbsolutePath();
        int port = httpPort > 0 ? httpPort : Ports.free();
        Path logFile = dir.resolve("registry.log");
        Process process;
        try {
            Files.createDirectories(dir);
            killLeftover(dir.resolve("registry.pid"));
            process = new ProcessBuilder(command(dist, dir, port, Ports.free()))
                    .directory(dist.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            Files.writeString(dir.resolve("registry.pid"), Long.toString(process.pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the schema registry from " + dist, e);
        }
        EmbeddedRegistry registry = new EmbeddedRegistry(process, "http://127.0.0.1:" + port, logFile);
        try {
            registry.awaitReady();
            registry.ensureGlobalCompatibility("BACKWARD");
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        log.info("Schema registry started at {} (data {}) in {} ms", registry.url, dir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return registry;
    }

    /** Base URL, e.g. http://127.0.0.1:PORT. */
    public String url() {
        return url;
    }

    /** What the Apicurio serdes take as {@code apicurio.registry.url}. */
    public String registryApiUrl() {
        return url + "/apis/registry/v3";
    }

    /** The Confluent-compatible API, for tools that read the Confluent wire format. */
    public String ccompatUrl() {
        return url + "/apis/ccompat/v7";
    }

    public Path logFile() {
        return logFile;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or about to; nothing left to undo
        }
        log.info("Schema registry at {} stopped", url);
    }

    /**
     * Where the build unpacked the distribution: system property, then environment, then a
     * target/platform folder in the current directory or one above it.
     */
    public static Path locateDistribution() {
        List<Path> tried = new ArrayList<>();
        for (String configured : new String[] {System.getProperty(PLATFORM_DIR_PROPERTY), System.getenv(PLATFORM_DIR_ENV)}) {
            if (configured != null && !configured.isBlank()) {
                Path candidate = Path.of(configured).resolve(DIST_NAME);
                if (Files.isRegularFile(candidate.resolve("quarkus-run.jar"))) {
                    return candidate;
                }
                tried.add(candidate);
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("target").resolve("platform").resolve(DIST_NAME);
            if (Files.isRegularFile(candidate.resolve("quarkus-run.jar"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("Apicurio Registry " + VERSION + " distribution not found (looked in "
                + tried + " and target/platform/" + DIST_NAME + " above " + Path.of("").toAbsolutePath()
                + "). Run 'mvn install' in the project root first, or set -D" + PLATFORM_DIR_PROPERTY
                + " / " + PLATFORM_DIR_ENV + " to the folder holding " + DIST_NAME + ".");
    }

    private static List<String> command(Path dist, Path dir, int httpPort, int managementPort) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        // A single local user: a small heap and the serial collector keep the footprint near 300 MB.
        cmd.add("-Xmx384m");
        cmd.add("-XX:+UseSerialGC");
        // The registry does little work once up (clients cache schemas); the quick C1 compiler alone
        // measured about 20% faster to first answer on a 2-core machine.
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-javaagent:" + writeWatchdogJar(dir) + "=" + ProcessHandle.current().pid());
        // Without the host flags Quarkus listens on all interfaces.
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        cmd.add("-Dquarkus.http.port=" + httpPort);
        cmd.add("-Dquarkus.management.host=127.0.0.1");
        cmd.add("-Dquarkus.management.port=" + managementPort);
        cmd.add("-Dapicurio.storage.kind=sql");
        cmd.add("-Dapicurio.storage.sql.kind=h2");
        cmd.add("-Dapicurio.datasource.url=jdbc:h2:file:" + dir.resolve("registry"));
        cmd.add("-Dapicurio.datasource.username=sa");
        cmd.add("-Dapicurio.datasource.password=sa");
        // The default pool (20..100 connections) is sized for a shared server.
        cmd.add("-Dapicurio.datasource.jdbc.initial-size=2");
        cmd.add("-Dapicurio.datasource.jdbc.min-size=2");
        cmd.add("-Dapicurio.datasource.jdbc.max-size=10");
        // The serdes write contentIds; ccompat must serve /schemas/ids/{id} by contentId (the v3 default).
        cmd.add("-Dapicurio.ccompat.legacy-id-mode.enabled=false");
        cmd.add("-jar");
        cmd.add(dist.resolve("quarkus-run.jar").toString());
        return cmd;
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .filter(c -> Files.isExecutable(Path.of(c)))
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Packs {@link RegistryWatchdog} into an agent jar next to the registry's data. */
    private static Path writeWatchdogJar(Path dir) throws IOException {
        String entry = RegistryWatchdog.class.getName().replace('.', '/') + ".class";
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", RegistryWatchdog.class.getName());
        Path jar = dir.resolve("watchdog.jar");
        try (InputStream in = RegistryWatchdog.class.getClassLoader().getResourceAsStream(entry);
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            if (in == null) {
                throw new IOException("Class file " + entry + " not found on the classpath");
            }
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    /** A registry from an earlier run of ours that is still alive would hold the H2 file lock. */
    private static void killLeftover(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle.of(pid)
                    .filter(h -> h.info().commandLine().map(c -> c.contains("quarkus-run.jar")).orElse(false))
                    .ifPresent(h -> {
                        log.warn("Stopping leftover schema registry process {}", pid);
                        h.destroy();
                        h.onExit().completeOnTimeout(h, STOP_GRACE.toSeconds(), TimeUnit.SECONDS).join();
                        h.destroyForcibly();
                    });
        } catch (NumberFormatException e) {
            // unreadable pid file: nothing we can act on
        }
        Files.deleteIfExists(pidFile);
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(ccompatUrl() + "/subjects"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Schema registry exited with code " + process.exitValue()
                        + " during startup. End of " + logFile + ":\n" + logTail());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // keep polling
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the schema registry", e);
            }
            sleep(200);
        }
        throw new IllegalStateException("Schema registry did not answer " + ccompatUrl() + "/subjects within "
                + READY_TIMEOUT.toSeconds() + " s. End of " + logFile + ":\n" + logTail());
    }

    /**
     * Global rule, so that every subject refuses a schema change old readers could not follow. Right after the
     * readiness probe answers, the admin API may still answer 404 (an HTML page: its routes are not all up yet) or a
     * 5xx: those are tried again for a while.
     */
    private void ensureGlobalCompatibility(String level) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(registryApiUrl() + "/admin/rules"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"ruleType\":\"COMPATIBILITY\",\"config\":\"" + level + "\"}"))
                .build();
        long deadline = System.nanoTime() + RULE_RETRY.toNanos();
        HttpClient http = HttpClient.newHttpClient();
        try {
            while (true) {
                HttpResponse<String> response;
                try {
                    response = http.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw new UncheckedIOException("Setting the global compatibility rule failed", e);
                    }
                    sleep(200);
                    continue;
                }
                int status = response.statusCode();
                // 409: the rule already exists, e.g. after a restart on the same data.
                if (status / 100 == 2 || status == 409) {
                    return;
                }
                if ((status != 404 && status / 100 != 5) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Setting the global compatibility rule failed: HTTP " + status
                            + " " + response.body());
                }
                sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private void stopProcess() {
        // Descendants first: none are expected, but none may outlive us either.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("Schema registry did not stop within {} s; killing it", STOP_GRACE.toSeconds());
                process.destroyForcibly().waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String logTail() {
        try {
            // Lenient decoding: a broken byte in the log must not hide the rest of it.
            List<String> lines = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
