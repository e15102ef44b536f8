package dev.qastream.launcher;

import dev.qastream.generation.GenerationService;
import dev.qastream.llm.PairGenerator;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.kafka.Topics;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What a running embedded stack generates with, per tier (backend, model, prompt version, parameters: the
 * parts of the generation cache key), recorded in its data dir beside the endpoints. A replay sent to a
 * stack that still runs with the old prompts would be answered from the cache with the old prompts and
 * change nothing; comparing with this record lets the replay refuse instead.
 */
final class GenerationSettings {
    static final String FILE = "generation-settings.properties";

    private GenerationSettings() {
    }

    static String describe(PairGenerator g) {
        return g.backend() + " " + g.model() + ", prompt " + g.promptVersion() + ", " + g.parameters();
    }

    static void write(Path dataDir, Map<String, PairGenerator> generators) {
        Properties p = new Properties();
        generators.forEach((tier, g) -> p.setProperty(tier, describe(g)));
        try (Writer w = Files.newBufferedWriter(dataDir.resolve(FILE))) {
            p.store(w, "generation settings of the running stack");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dataDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    static void remove(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(FILE));
        } catch (IOException ignored) {
            // a stale file is only compared against, never trusted to find a stack
        }
    }

    /**
     * The tiers whose running settings differ from those {@code ctx}'s configuration gives, one line each;
     * empty when they agree or nothing is recorded (a cluster's services, an older stack).
     */
    static List<String> differences(Path dataDir, ServiceContext ctx) {
        Path file = dataDir.resolve(FILE);
        List<String> differ = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return differ;
        }
        Properties running = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            running.load(r);
        } catch (IOException e) {
            return differ;
        }
        for (String tier : Topics.TIERS) {
            String then = running.getProperty(tier);
            String now = describe(GenerationService.generatorFor(ctx, tier));
            if (then != null && !then.equals(now)) {
                differ.add("tier " + tier + ": running " + then + "; configured " + now);
            }
        }
        return differ;
    }
}
