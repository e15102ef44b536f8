package dev.qastream.launcher.bench;

import dev.qastream.launcher.bench.BenchResults.Benchmark;
import dev.qastream.launcher.bench.BenchResults.Figure;
import dev.qastream.launcher.bench.BenchResults.Machine;
import dev.qastream.launcher.bench.BenchResults.Run;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Parsing name: value lines, medians over runs and the markdown of bench/results.md; no platform. */
class BenchResultsTest {

    @Test
    void parsesOnlyFigureLines() {
        // Given a benchmark's output with figures, progress lines, indented details and a repeated name
        String output = """
                corpus: ../shared/corpus/oai
                round 1: parse_only_docs_per_s=938 (cpu 1.2 s) docs_per_s=408
                warm-up: cold_docs_per_s=320
                  parsers: 1.57 s
                docs_per_s: 895
                efficiency_k4: 0.961
                peak_rss_mb_generation: 412
                goal_met: true
                export_chat_s: 3.1 (runs [3.1, 3.3])
                WARNING: sun.misc.Unsafe::invokeCleaner will be removed in a future release
                docs_per_s: 900
                """;

        // When it is parsed
        Map<String, String> figures = BenchResults.parse(output);

        // Then only 'name: value' lines are figures (a remark after a number dropped), the last of a repeated name counts
        assertThat(figures).containsExactly(Map.entry("corpus", "../shared/corpus/oai"),
                Map.entry("efficiency_k4", "0.961"), Map.entry("peak_rss_mb_generation", "412"),
                Map.entry("goal_met", "true"), Map.entry("export_chat_s", "3.1"), Map.entry("docs_per_s", "900"));
    }

    @Test
    void medianMinMaxOverSuccessfulRuns() {
        // Given three successful runs and one failed one
        List<Run> runs = List.of(
                new Run(0, 10, 300, "docs_per_s: 900\nmode: fast\n"),
                new Run(0, 14, 320, "docs_per_s: 700\nmode: fast\n"),
                new Run(1, 2, 0, "docs_per_s: 1\nboom\n"),
                new Run(0, 12, 310, "docs_per_s: 800\nmode: slow\nonly_once: 5\n"));

        // When aggregated
        List<Figure> figures = BenchResults.aggregate(runs);

        // Then each numeric figure has median, min and max of the successful runs; text figures their values
        assertThat(figures).extracting(Figure::name)
                .containsExactly("docs_per_s", "mode", "only_once", "run_wall_s", "run_peak_rss_mb");
        assertThat(figures.get(0).stats()).isEqualTo(new BenchResults.Stats(800, 700, 900, 3));
        assertThat(figures.get(1).texts()).containsExactly("fast", "slow");
        assertThat(figures.get(2).stats().count()).isEqualTo(1);
        assertThat(figures.get(3).stats()).isEqualTo(new BenchResults.Stats(12, 10, 14, 3));
        assertThat(BenchResults.Stats.of(List.of(1.0, 4.0)).median()).isEqualTo(2.5);
    }

    @Test
    void markdownHasMachineTablesCommandsAndFailures() {
        // Given one benchmark that succeeded and one whose second run failed
        Machine machine = new Machine("2026-12-07T03:00:00Z", "Some CPU", 2, "7.6 GiB", "Linux 6.1", "21.0.5",
                "1.00 2.00 3.00", "4.00 5.00 6.00");
        Benchmark quality = new Benchmark("quality", "./pipeline bench quality", "",
                List.of(new Run(0, 5, 0, "roc_auc: 0.91234\n"), new Run(0, 6, 0, "roc_auc: 0.95\n")));
        String lines = String.join("\n", java.util.stream.IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).toList());
        Benchmark ingest = new Benchmark("ingest", "./pipeline bench ingest --docs 500", "fewer documents to stay short",
                List.of(new Run(0, 30, 0, "docs_per_s: 1234\n"), new Run(3, 4, 0, lines)));

        // When rendered
        String md = BenchResults.markdown(machine, "./pipeline bench all --runs 2", "java -cp CP Main", List.of(quality, ingest));

        // Then it names the machine, each command, each figure's median/min/max, and the failed run's exit and tail
        assertThat(md).contains("| CPU | Some CPU (2 cores) |", "| load average (1, 5, 15 min) at end | 4.00 5.00 6.00 |",
                "2026-12-07T03:00:00Z", "| ingest | 2 | 1 **(failed)** | `./pipeline bench ingest --docs 500` |",
                "Command: `./pipeline bench ingest --docs 500` (fewer documents to stay short).",
                "| figure | median | min | max |", "| roc_auc | 0.931 | 0.912 | 0.95 |", "| docs_per_s | 1234 | 1234 | 1234 |",
                "Run 2 failed: exit code 3", "line 30");
        assertThat(md).contains("line 11").doesNotContain("line 10\n");
    }
}
