package dev.qastream.runtime;

import org.slf4j.bridge.SLF4JBridgeHandler;

/** One log output: libraries that log through java.util.logging (the registry client) go to logback too. */
public final class Logging {
    private Logging() {
    }

    public static void init() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
