package dev.qastream.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** The human side of an ingest error: a log line and a line in out/ingest-errors.jsonl. */
final class IngestErrorLog {
    private static final Logger log = LoggerFactory.getLogger(IngestErrorLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    IngestErrorLog(Path file) {
        this.file = file;
    }

    synchronized void record(String path, String reason) {
        log.warn("ingest error: {}: {}", path, reason);
        Map<String, String> line = new LinkedHashMap<>();
        line.put("path", path);
        line.put("reason", reason);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            log.error("cannot append to {}: {}", file, e.getMessage());
        }
    }
}
