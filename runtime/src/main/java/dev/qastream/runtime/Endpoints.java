package dev.qastream.runtime;

import dev.qastream.runtime.config.Config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where Kafka and the registry are. A configured cluster wins; otherwise the embedded stack that
 * `./pipeline up` runs on the same data directory, whose free ports it records in a file there,
 * so that `tail` from a second terminal finds it.
 */
public record Endpoints(String bootstrapServers, String registryApiUrl) {
    public static final String FILE = "endpoints.properties";

    /** The cluster named in the configuration, or null when none is (the embedded stack is meant). */
    public static Endpoints ofCluster(Config config) {
        String bootstrap = config.string("kafka.bootstrap-servers");
        String registry = config.string("registry.url");
        if (bootstrap.isBlank() && registry.isBlank()) {
            return null;
        }
        if (bootstrap.isBlank() || registry.isBlank()) {
            throw new IllegalArgumentException("set both kafka.bootstrap-servers and registry.url to use a cluster "
                    + "(or neither for the embedded stack)");
        }
        return new Endpoints(bootstrap, registry.replaceAll("/+$", "") + "/apis/registry/v3");
    }

    /** The cluster of the configuration, else the running embedded stack's; a clear error if neither. */
    public static Endpoints resolve(Config config) {
        Endpoints cluster = ofCluster(config);
        if (cluster != null) {
            return cluster;
        }
        Path file = config.path("data-dir").resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no running stack found under " + config.path("data-dir").toAbsolutePath()
                    + "; start one with ./pipeline up (same --data-dir) or set kafka.bootstrap-servers and registry.url");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Endpoints(p.getProperty("bootstrap.servers"), p.getProperty("registry.api.url"));
    }

    public void write(Path dataDir) throws IOException {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers);
        p.setProperty("registry.api.url", registryApiUrl);
        Files.createDirectories(dataDir);
        try (Writer w = Files.newBufferedWriter(dataDir.resolve(FILE))) {
            p.store(w, "endpoints of the running embedded stack; removed when it stops");
        }
    }

    public static void remove(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(FILE));
        } catch (IOException e) {
            // best effort: a stale file only misleads tail until the next start rewrites it
        }
    }
}
