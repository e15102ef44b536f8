package dev.qastream.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qastream.ingest.parse.DocumentParsers;
import dev.qastream.ingest.parse.ParsedDocument;
import dev.qastream.ingest.parse.UnreadableDocumentException;
import dev.qastream.schemas.Chunk;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Parse + chunk throughput over the markdown files of the shared public corpus
 * ({@code -Dqastream.corpus=DIR}, default {@code ../../shared/corpus/oai} from the module).
 * Skipped where the corpus is not present. Prints docs/s; asserts only that every file parses.
 */
class CorpusThroughputTest {

    @Test
    void parsesAndChunksTheMarkdownCorpus() throws IOException, UnreadableDocumentException {
        Path root = Path.of(System.getProperty("qastream.corpus", "../../shared/corpus/oai"));
        Assumptions.assumeTrue(Files.isDirectory(root), "corpus not present at " + root.toAbsolutePath());
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
        List<String> ids = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        long bytes = 0;
        for (Path f : files) {
            ids.add(root.relativize(f).toString());
            byte[] b = Files.readAllBytes(f);
            contents.add(b);
            bytes += b.length;
        }
        Chunker chunker = new Chunker(512, 64);
        int chunks = 0;
        for (int warm = 0; warm < 15; warm++) {
            chunks = run(ids, contents, chunker);
        }
        int rounds = 20;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            run(ids, contents, chunker);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        // CPU time of this thread as well as wall time: on a shared, loaded machine wall time understates.
        System.out.printf("corpus throughput: %d markdown docs (%d KiB) -> %d chunks; parse+chunk on 1 thread: "
                        + "%.0f docs/s wall, %.0f docs/s per CPU-second (%.1f MiB per CPU-second)%n",
                files.size(), bytes / 1024, chunks, rounds * files.size() / seconds, rounds * files.size() / cpuSeconds,
                rounds * bytes / cpuSeconds / (1 << 20));
        assertThat(chunks).isGreaterThan(files.size());
    }

    private static int run(List<String> ids, List<byte[]> contents, Chunker chunker) throws UnreadableDocumentException {
        int n = 0;
        for (int i = 0; i < ids.size(); i++) {
            ParsedDocument doc = DocumentParsers.parse(ids.get(i), contents.get(i));
            List<Chunk> chunks = chunker.chunk(doc);
            n += chunks.size();
        }
        return n;
    }
}
