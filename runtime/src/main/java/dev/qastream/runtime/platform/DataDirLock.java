package dev.qastream.runtime.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process per data directory. A second broker on the same log directory corrupts it, and the
 * registry's clean-up of a leftover process would stop the first owner's registry; so the platform
 * takes this lock before touching anything and a second start fails with a clear message instead.
 * The operating system releases the lock when the process dies, so a crash leaves nothing stale.
 */
public final class DataDirLock implements AutoCloseable {
    public static final String FILE = "qastream.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static DataDirLock acquire(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Path file = dataDir.resolve(FILE);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                String owner = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw new IllegalStateException("data directory " + dataDir + " is in use by another qastream process"
                        + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                        + "; stop it, or give this one its own --data-dir");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
            return new DataDirLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The process holding the lock of {@code dataDir}: empty when none does; -1 when one does but wrote no pid.
     * Probes without keeping the lock (for `doctor`).
     */
    public static java.util.OptionalLong holder(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return java.util.OptionalLong.empty();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                return java.util.OptionalLong.of(ProcessHandle.current().pid());
            }
            if (lock != null) {
                lock.release();
                return java.util.OptionalLong.empty();
            }
            String owner = Files.readString(file, StandardCharsets.UTF_8).trim();
            return java.util.OptionalLong.of(owner.matches("\\d+") ? Long.parseLong(owner) : -1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lock of " + dataDir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // released by the operating system at exit anyway
        }
    }
}
