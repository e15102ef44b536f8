package dev.qastream.ingest.parse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads test fixtures from the classpath. */
public final class Fixtures {
    private Fixtures() {}

    public static byte[] bytes(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ParsedDocument parse(String path) {
        try {
            return DocumentParsers.parse(path, bytes(path));
        } catch (UnreadableDocumentException e) {
            throw new AssertionError(path + ": " + e.getMessage(), e);
        }
    }
}
