package dev.qastream.runtime.kafka;

import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The topic ids a data directory has seen ({@code topic-ids.properties}): a topic deleted and created again under
 * the same name has a new id. That matters for ingest.chunks, whose offsets are the revisions everything
 * downstream compares ({@link TopicLayout#recreatedProblem}).
 */
public final class TopicIds {
    private static final Logger log = LoggerFactory.getLogger(TopicIds.class);
    public static final String FILE = "topic-ids.properties";

    private TopicIds() {
    }

    /** The ids recorded in {@code dataDir}, empty when none were. */
    public static Properties known(Path dataDir) {
        Properties p = new Properties();
        Path file = dataDir.resolve(FILE);
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                log.warn("cannot read {}: {}", file, e.toString());
            }
        }
        return p;
    }

    /** Logs an error when ingest.chunks was recreated since the last start, then records the ids seen now. */
    static void remember(Path dataDir, Map<String, TopicDescription> described) {
        Properties known = known(dataDir);
        TopicDescription chunks = described.get(Topics.INGEST_CHUNKS);
        if (chunks != null) {
            String problem = TopicLayout.recreatedProblem(Topics.INGEST_CHUNKS,
                    known.getProperty(Topics.INGEST_CHUNKS), chunks.topicId().toString());
            if (problem != null) {
                log.error("{} (./pipeline doctor says so too)", problem);
                return; // keep the old id on record, so doctor goes on saying it until the data is reset
            }
        }
        Properties now = new Properties();
        now.putAll(known);
        described.forEach((name, d) -> now.setProperty(name, d.topicId().toString()));
        if (now.equals(known)) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            Path tmp = dataDir.resolve(FILE + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp)) {
                now.store(w, "topic ids this data directory has seen; a changed id means the topic was recreated");
            }
            Files.move(tmp, dataDir.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("cannot record topic ids in {}: {}", dataDir, e.toString());
        }
    }
}
