package dev.qastream.launcher;

import dev.qastream.launcher.doctor.Check;
import dev.qastream.launcher.doctor.Doctor;
import dev.qastream.llm.ModelCheck;
import dev.qastream.launcher.status.Snapshot;
import dev.qastream.launcher.status.StatusView;
import dev.qastream.runtime.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** doctor with nothing running, and the status screen's arithmetic: no broker, no registry needed. */
class DoctorWithoutStackTest {
    @TempDir
    Path dir;

    @Test
    void withNoStackRunningDoctorSaysSoAndChecksTheRest() throws Exception {
        // Given an empty data directory, an existing inbox, no model server for the auto tiers
        Files.createDirectories(dir.resolve("inbox"));
        Config config = Config.load(null).with(Map.of("data-dir", dir.resolve("data").toString(),
                "inbox", dir.resolve("inbox").toString(), "tiers.quality.backend", "builtin"));
        Function<String, ModelCheck> noServer = tier -> new ModelCheck(tier, false,
                "tier " + tier + ": no Ollama at http://localhost:11434 (connection refused)", "start Ollama (`ollama serve`)");

        // When doctor runs
        List<Check> checks = new Doctor(config, noServer).run();

        // Then the stack's absence is a warning, the auto tiers fall back with a warning, nothing fails
        assertThat(checks).extracting(Check::name).contains("jdk", "data-dir", "embedded stack", "tier fast", "inbox")
                .doesNotContain("kafka", "registry", "topics");
        assertThat(checks).noneMatch(c -> c.status() == Check.Status.FAIL);
        assertThat(checks).filteredOn(c -> c.name().equals("embedded stack")).singleElement()
                .satisfies(c -> assertThat(c.line()).contains("not running", "./pipeline up"));
        assertThat(checks).filteredOn(c -> c.name().equals("tier fast")).singleElement()
                .satisfies(c -> assertThat(c.line()).startsWith("warn").contains("builtin generator is used"));
        assertThat(checks).filteredOn(c -> c.name().equals("tier quality")).singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(Check.Status.ok));
    }

    @Test
    void aTierWhoseServerLacksTheModelFailsWithThePullCommand() {
        Config config = Config.load(null).with(Map.of("data-dir", dir.toString(), "tiers.balanced.backend", "ollama"));
        Function<String, ModelCheck> otherModels = tier -> new ModelCheck(tier, false,
                "tier " + tier + ": Ollama at http://localhost:11434 has no model qwen3:8b", "run `ollama pull qwen3:8b`");
        assertThat(new Doctor(config, otherModels).run()).filteredOn(c -> c.name().equals("tier balanced"))
                .singleElement().satisfies(c -> {
                    assertThat(c.status()).isEqualTo(Check.Status.FAIL);
                    assertThat(c.message()).isEqualTo("ollama: Ollama at http://localhost:11434 has no model qwen3:8b");
                    assertThat(c.advice()).contains("ollama pull qwen3:8b");
                });
    }

    @Test
    void statusScreenComputesProgressRatesAndEta() {
        Snapshot earlier = new Snapshot(0, "test", 2, 10, 20, 10, 8, 8, 0, 0, 1,
                Map.of("qastream-scoring", 30L), Map.of("qastream-scoring", 100L), Map.of(), Map.of());
        Snapshot now = new Snapshot(10_000, "test", 3, 12, 40, 30, 27, 27, 6, 1, 1,
                Map.of("qastream-scoring", 20L), Map.of("qastream-scoring", 140L), Map.of("fast qwen3:1.7b", 500.0),
                Map.of("router.dlq", 0L, "scoring.dlq", 2L, "sink.dlq", 0L));
        List<String> screen = StatusView.render(now, earlier);
        // 140 of 160 processed; 40 records in 10 s; 20 queued -> 5 s
        assertThat(screen).anySatisfy(l -> assertThat(l).startsWith("pairs scored").contains("30", "20", "88%"));
        assertThat(screen).anySatisfy(l -> assertThat(l).startsWith("throughput").contains("4.0 records/s", "2.0 pairs/s"));
        assertThat(screen).anySatisfy(l -> assertThat(l).startsWith("ETA").contains("0m05s"));
        assertThat(screen).anySatisfy(l -> assertThat(l).startsWith("tokens/s").contains("fast qwen3:1.7b -"));
        assertThat(screen).anySatisfy(l -> assertThat(l).startsWith("chunks").contains("12", " - "));
        // what each Streams stage set aside on its dead-letter topic, per stage
        assertThat(screen).anySatisfy(l -> assertThat(l).startsWith("set aside")
                .contains("router.dlq 0 | scoring.dlq 2 | sink.dlq 0"));
        // review progress: people's decisions of the scored pairs (6 of 30)
        assertThat(screen).anySatisfy(l -> assertThat(l).startsWith("reviewed").contains("6", "20%", "of scored"));
        // a single snapshot has no rate: "-" rather than a guess
        assertThat(StatusView.render(now, null)).anySatisfy(l -> assertThat(l).startsWith("ETA        -"));
    }
}
