package dev.qastream.ingest;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Properties;

/**
 * Which inbox a data dir belongs to, kept in a small file in the data dir: the inbox's path and the
 * identity of the folder (device and inode where the platform has them, else its creation time).
 * Written when the data dir is first used. The path makes a second inbox on the same data dir a refusal
 * instead of a silent removal of the first one's documents; the identity tells the folder the data dir
 * adopted from an empty folder that took its place (a mount point whose drive went away).
 */
final class InboxOwnership {
    static final String FILE = "ingest-inbox.properties";

    private final Path file;
    private String inbox;
    private String identity;

    private InboxOwnership(Path file, String inbox, String identity) {
        this.file = file;
        this.inbox = inbox;
        this.identity = identity;
    }

    /** The record in {@code dataDir}, or an empty one (nothing adopted yet). */
    static InboxOwnership load(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return new InboxOwnership(file, null, null);
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String identity = p.getProperty("folder", "");
        return new InboxOwnership(file, p.getProperty("inbox"), identity.isEmpty() ? null : identity);
    }

    /** The inbox path adopted, or null when none is yet. */
    String inbox() {
        return inbox;
    }

    /** The folder identity adopted, or null when the inbox did not exist when it was adopted. */
    String identity() {
        return identity;
    }

    Path file() {
        return file;
    }

    boolean isInbox(Path path) {
        return path.toString().equals(inbox);
    }

    /** Records {@code path} (and the folder's identity, when known) as this data dir's inbox. */
    void adopt(Path path, String folderIdentity) {
        if (path.toString().equals(inbox) && Objects.equals(folderIdentity, identity)) {
            return;
        }
        inbox = path.toString();
        identity = folderIdentity;
        Properties p = new Properties();
        p.setProperty("inbox", inbox);
        p.setProperty("folder", identity == null ? "" : identity);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "the inbox this data dir belongs to (written by ingest; see ingest.allow-inbox-change)");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
