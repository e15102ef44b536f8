package dev.qastream.launcher.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.qastream.runtime.ServiceContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/** Writes {@code report.json} and {@code report.html} into the output folder, each atomically. */
public final class ReportFiles {
    public static final String JSON_FILE = "report.json";
    public static final String HTML_FILE = "report.html";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportFiles() {
    }

    /** Reads the topics to their current end and writes the report; for the end of a batch run. */
    public static QualityReport writeFromTopics(ServiceContext ctx, Path outDir) throws IOException {
        try (ReportReader reader = new ReportReader(ctx)) {
            reader.readToEnd(Duration.ofMinutes(2));
            QualityReport report = reader.state().report(System.currentTimeMillis());
            write(report, outDir);
            return report;
        }
    }

    public static void write(QualityReport report, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        replace(outDir.resolve(JSON_FILE), JSON.writeValueAsBytes(report));
        replace(outDir.resolve(HTML_FILE), HtmlReport.render(report).getBytes(StandardCharsets.UTF_8));
    }

    public static QualityReport read(Path json) throws IOException {
        return JSON.readValue(json.toFile(), QualityReport.class);
    }

    /** A reader (a browser refreshing, a script) never sees half a file. */
    private static void replace(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
