package dev.qastream.sink;

import dev.qastream.sink.export.KeyedSpill;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The dataset file on disk. Replaced whole by streaming the store into a temporary file beside it and renaming
 * that over it: a reader sees the old file or the new one, never half. The temporary file is flushed to disk
 * before the rename and the folder after it, so a crash (of the machine too) leaves one of the two whole files.
 */
final class DatasetFile {
    private final Path file;

    DatasetFile(Path file) {
        this.file = file;
    }

    /** Replaces the file with the store's lines, in key order; returns the last key written ("" when none). */
    String replace(KeyedSpill lines) {
        try {
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            String[] last = {""};
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                lines.forEach((key, line) -> {
                    last[0] = key;
                    try {
                        out.write(line);
                        out.write('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                out.flush();
                channel.force(true);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            forceFolder(folder);
            return last[0];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e, e);
        }
    }

    /**
     * New pairs at the end of the file: whole lines, in one write. Not flushed to disk: after a crash the next
     * launch replaces the file whole anyway.
     */
    void append(CharSequence newLines) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = StandardCharsets.UTF_8.encode(newLines.toString());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e, e);
        }
    }

    /** Makes the rename itself durable; where a folder cannot be opened as a channel (Windows) there is no way to. */
    private static void forceFolder(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // nothing more can be done on this platform
        }
    }
}
