package dev.qastream.launcher;

import dev.qastream.runtime.config.Config;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Options every command shares; flags override the configuration file and the environment. */
final class ConfigOptions {
    @Option(names = "--config", description = "YAML configuration file (default: $QASTREAM_CONFIG, else built-in defaults)")
    Path configFile;

    @Option(names = "--inbox", description = "watched folder (config: inbox)")
    Path inbox;

    @Option(names = "--out", description = "output folder (config: out)")
    Path out;

    @Option(names = "--data-dir", description = "embedded broker and registry data (config: data-dir)")
    Path dataDir;

    Config load() {
        Path file = configFile;
        if (file == null && System.getenv("QASTREAM_CONFIG") != null) {
            file = Path.of(System.getenv("QASTREAM_CONFIG"));
        }
        Map<String, String> flags = new HashMap<>();
        if (inbox != null) {
            flags.put("inbox", inbox.toString());
        }
        if (out != null) {
            flags.put("out", out.toString());
        }
        if (dataDir != null) {
            flags.put("data-dir", dataDir.toString());
        }
        return Config.load(file).with(flags);
    }
}
