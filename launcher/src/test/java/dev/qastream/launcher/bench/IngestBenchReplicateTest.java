package dev.qastream.launcher.bench;

import dev.qastream.runtime.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** bench ingest replicates only files ingest takes as documents, so it sees exactly the documents it expects. */
class IngestBenchReplicateTest {

    @Test
    void filesTheIgnoreRulesSkipAreNotReplicated(@TempDir Path tmp) throws Exception {
        // Given a corpus with two documents and a NOTICE.md, which the default ignore rules skip (as in the oai corpus)
        Path corpus = tmp.resolve("corpus");
        Files.createDirectories(corpus.resolve("doc"));
        Files.writeString(corpus.resolve("README.md"), "# Readme\n\nText.\n");
        Files.writeString(corpus.resolve("doc/guide.md"), "# Guide\n\nText.\n");
        Files.writeString(corpus.resolve("NOTICE.md"), "# Notice\n\nLicence text.\n");

        // When it is replicated to 7 documents with the default ignore patterns
        List<Path> files = IngestBench.replicate(corpus, tmp.resolve("inbox"), 7,
                Config.load(null).string("ingest.ignore"));

        // Then the inbox holds 7 documents, none of them one ingest would skip
        assertThat(files).hasSize(7).noneMatch(f -> f.getFileName().toString().startsWith("NOTICE"));
        try (var walk = Files.walk(tmp.resolve("inbox"))) {
            assertThat(walk.filter(Files::isRegularFile).count()).isEqualTo(7);
        }
    }
}
