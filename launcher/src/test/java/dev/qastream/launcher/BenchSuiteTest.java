package dev.qastream.launcher;

import dev.qastream.launcher.bench.BenchSuite;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The suite of bench all: every benchmark, with arguments its command accepts; --only picks a subset. */
class BenchSuiteTest {

    @Test
    void everyBenchmarkOfTheSuiteRunsABenchCommandWithValidArguments() {
        // Given the suite and the launcher's commands
        assertThat(BenchSuite.ALL).extracting(BenchSuite.Spec::name).containsExactly("ingest", "generation", "scoring",
                "quality", "export", "load", "cache", "coverage", "review", "e2e", "e2e-simulator", "startup");

        for (BenchSuite.Spec spec : BenchSuite.ALL) {
            // When its arguments are parsed as a child JVM's command line would be
            var parsed = Main.commandLine().parseArgs(spec.args().toArray(String[]::new));

            // Then they name the bench subcommand its name starts with, with options it knows
            String command = spec.args().get(1);
            assertThat(spec.name()).startsWith(command);
            assertThat(parsed.asCommandLineList()).extracting(c -> c.getCommandName())
                    .containsExactly("pipeline", "bench", command);
        }
    }

    @Test
    void onlyPicksASubsetInSuiteOrderAndRejectsUnknownNames() {
        assertThat(BenchSuite.select(List.of("export", "quality"))).extracting(BenchSuite.Spec::name)
                .containsExactly("quality", "export");
        assertThat(BenchSuite.select(List.of())).hasSize(BenchSuite.ALL.size());
        assertThatThrownBy(() -> BenchSuite.select(List.of("quality", "speed")))
                .hasMessageContaining("unknown benchmark 'speed'").hasMessageContaining("ingest,generation");
    }
}
