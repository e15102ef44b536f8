package dev.qastream.runtime.platform;

import java.util.Optional;

/**
 * Java agent loaded into the registry child process ({@code -javaagent:watchdog.jar=<our pid>}): when
 * the JVM that started the registry is gone, even after a SIGKILL that ran no shutdown hook, the
 * registry exits too instead of lingering and holding its H2 database lock.
 *
 * <p>It is copied on its own into a tiny agent jar, so it must use nothing but the JDK (no nested classes).
 */
public final class RegistryWatchdog {

    private RegistryWatchdog() {
    }

    public static void premain(String parentPid) {
        // The handle remembers the parent's start time, so a recycled pid does not look alive.
        Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(parentPid.trim()));
        Thread watcher = new Thread(() -> {
            while (parent.isPresent() && parent.get().isAlive()) {
                pause(500);
            }
            // Orderly exit first (lets the database close); halt if shutdown hangs.
            Thread halt = new Thread(() -> {
                pause(15_000);
                Runtime.getRuntime().halt(1);
            }, "qastream-watchdog-halt");
            halt.setDaemon(true);
            halt.start();
            System.exit(0);
        }, "qastream-parent-watchdog");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
