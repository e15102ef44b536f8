package dev.qastream.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one configuration every service reads the same way: built-in defaults
 * (qastream-defaults.yaml), then an optional YAML file, then environment variables.
 * Only keys present in the defaults exist, so a typo in a file is an error, not a silent no-op.
 */
public final class Config {
    public static final String ENV_PREFIX = "QASTREAM_";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final ObjectNode root;

    private Config(ObjectNode root) {
        this.root = root;
    }

    /** Defaults, overridden by {@code file} (may be null) and by the process environment. */
    public static Config load(Path file) {
        return load(file, System.getenv());
    }

    public static Config load(Path file, Map<String, String> env) {
        ObjectNode root = defaults();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("configuration file not found: " + file);
            }
            try {
                JsonNode user = YAML.readTree(file.toFile());
                if (user != null && !user.isNull()) {
                    merge(root, user, "", file.toString());
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read configuration " + file + ": " + e.getMessage(), e);
            }
        }
        applyEnv(root, "", env);
        return new Config(root);
    }

    /** Defaults plus explicit overrides, keyed by dotted path; for tests and the launcher's flags. */
    public Config with(Map<String, String> overrides) {
        ObjectNode copy = root.deepCopy();
        overrides.forEach((path, value) -> set(copy, path, value));
        return new Config(copy);
    }

    public Config with(String path, Object value) {
        return with(Map.of(path, String.valueOf(value)));
    }

    public String string(String path) {
        return node(path).asText();
    }

    public int integer(String path) {
        return Integer.parseInt(string(path).trim());
    }

    public long longValue(String path) {
        return Long.parseLong(string(path).trim());
    }

    public double decimal(String path) {
        return Double.parseDouble(string(path).trim());
    }

    public boolean bool(String path) {
        return Boolean.parseBoolean(string(path).trim());
    }

    public Path path(String path) {
        return Path.of(string(path));
    }

    /** Names of the children of a section, e.g. the tiers. */
    public List<String> keys(String path) {
        List<String> names = new ArrayList<>();
        node(path).fieldNames().forEachRemaining(names::add);
        return names;
    }

    public String toYaml() {
        try {
            return YAML.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode node(String path) {
        JsonNode n = root;
        for (String part : path.split("\\.")) {
            n = n.get(part);
            if (n == null) {
                throw new IllegalArgumentException("unknown configuration key: " + path);
            }
        }
        return n;
    }

    private static ObjectNode defaults() {
        try (InputStream in = Config.class.getResourceAsStream("/qastream-defaults.yaml")) {
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void merge(ObjectNode target, JsonNode source, String prefix, String origin) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String key = prefix + e.getKey();
            JsonNode existing = target.get(e.getKey());
            if (existing == null) {
                throw new IllegalArgumentException("unknown configuration key '" + key + "' in " + origin);
            }
            if (existing.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) existing, e.getValue(), key + ".", origin);
            } else {
                target.set(e.getKey(), e.getValue().isNull() ? TextNode.valueOf("") : TextNode.valueOf(e.getValue().asText()));
            }
        }
    }

    private static void applyEnv(ObjectNode node, String prefix, Map<String, String> env) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        List<String[]> updates = new ArrayList<>();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String key = prefix + e.getKey();
            if (e.getValue().isObject()) {
                applyEnv((ObjectNode) e.getValue(), key + ".", env);
            } else {
                String value = env.get(envName(key));
                if (value != null) {
                    updates.add(new String[] {e.getKey(), value});
                }
            }
        }
        updates.forEach(u -> node.set(u[0], TextNode.valueOf(u[1])));
    }

    /** {@code tiers.fast.base-url} -> {@code QASTREAM_TIERS_FAST_BASE_URL}. */
    public static String envName(String path) {
        return ENV_PREFIX + path.toUpperCase().replace('.', '_').replace('-', '_');
    }

    private static void set(ObjectNode root, String path, String value) {
        String[] parts = path.split("\\.");
        ObjectNode n = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = n.get(parts[i]);
            if (child == null) {
                child = n.putObject(parts[i]);
            }
            if (!child.isObject()) {
                throw new IllegalArgumentException("not a section: " + path);
            }
            n = (ObjectNode) child;
        }
        n.set(parts[parts.length - 1], TextNode.valueOf(value));
    }

}
