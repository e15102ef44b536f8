package dev.qastream.launcher.cluster;

import dev.qastream.launcher.Main;
import dev.qastream.runtime.config.Config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A pipeline stage as its own JVM, {@code ./pipeline service NAME} from the test classpath, configured by the
 * environment ({@code QASTREAM_...}) the way a deployment would. Its output goes to a log file.
 */
public final class ChildJvm implements AutoCloseable {
    private final String name;
    private final List<String> command;
    private final Path log;
    private volatile Process process;
    /** Should the test JVM end without reaching its finally blocks, no stage outlives it. */
    private final Thread shutdownHook = new Thread(this::kill, "stage-stop");

    /** {@code ./pipeline service NAME --config CONFIG} with a heap of {@code heap} (e.g. 256m). */
    ChildJvm(String name, String heap, Path config, Path log) {
        this.name = name;
        this.log = log;
        this.command = List.of(java(), "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "service", name,
                "--config", config.toString());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public String name() {
        return name;
    }

    /** Starts the process (after a kill: again, on the same state folder) and returns once it says it runs. */
    public ChildJvm start() {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // The configuration file alone: no QASTREAM_ variable of this environment overrides it.
            pb.environment().keySet().removeIf(k -> k.startsWith(Config.ENV_PREFIX));
            long from = Files.exists(log) ? Files.size(log) : 0;
            process = pb.start();
            awaitLine(from, name + " running");
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is committed or closed. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Appends the stack of every thread of the process to its log ({@code jcmd PID Thread.print}). */
    public void dumpThreads() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(p.pid()), "Thread.print").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            jcmd.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // a diagnostic only
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook kills it anyway
        }
    }

    private void awaitLine(long from, String text) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String out = Files.readString(log);
            if (out.length() > from && out.substring((int) Math.min(from, out.length())).contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            sleep(100);
        }
        throw new IllegalStateException(name + " did not start within 120 s; see " + log);
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
