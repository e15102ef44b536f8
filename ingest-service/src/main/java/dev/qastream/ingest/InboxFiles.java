package dev.qastream.ingest;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The two file-system reads ingest makes that can fail for a reason other than "not there": listing a
 * folder and reading a file's bytes. A seam so tests can make them fail with permission errors, which
 * file modes cannot do for root, and count how often files are read.
 */
interface InboxFiles {
    /** The entries of a folder, in no particular order. */
    List<Path> list(Path dir) throws IOException;

    byte[] read(Path file) throws IOException;

    InboxFiles LOCAL = new InboxFiles() {
        @Override
        public List<Path> list(Path dir) throws IOException {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                stream.forEach(children::add);
            } catch (DirectoryIteratorException e) {
                throw e.getCause(); // a failure part-way through the listing
            }
            return children;
        }

        @Override
        public byte[] read(Path file) throws IOException {
            return Files.readAllBytes(file);
        }
    };
}
