package dev.qastream.sink.export;

import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * A temporary on-disk key -> bytes store (RocksDB, which comes with Kafka Streams): reading a compacted
 * topic into it keeps only the newest value of each key, and a null value deletes the key, whatever
 * compaction has or has not done yet, with memory flat in the number of keys. Iterates in key order.
 * The folder is deleted on close.
 */
public final class KeyedSpill implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final Options options;
    private final WriteOptions writes;
    private final RocksDB db;
    private long puts;

    private KeyedSpill(Path dir) throws RocksDBException {
        this.dir = dir;
        this.options = new Options().setCreateIfMissing(true);
        this.writes = new WriteOptions().setDisableWAL(true); // a scratch store: nothing to recover after a crash
        this.db = RocksDB.open(options, dir.toString());
    }

    /** A fresh store in a new temporary folder under {@code parent} (created if missing). */
    public static KeyedSpill create(Path parent) {
        try {
            Files.createDirectories(parent);
            return new KeyedSpill(Files.createTempDirectory(parent, "spill-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary store under " + parent + ": " + e.getMessage(), e);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot open a temporary store under " + parent + ": " + e.getMessage(), e);
        }
    }

    /** Deletes every store under {@code parent} that a process which died left behind. */
    public static void deleteLeftovers(Path parent) {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (Stream<Path> children = Files.list(parent)) {
            for (Path child : children.filter(p -> p.getFileName().toString().startsWith("spill-")).toList()) {
                try (Stream<Path> files = Files.walk(child)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            // leftovers only take disk space
        }
    }

    /** The newest value of a key; null removes it. */
    public void put(String key, byte[] value) {
        try {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            if (value == null) {
                db.delete(writes, k);
            } else {
                db.put(writes, k, value);
            }
            puts++;
        } catch (RocksDBException e) {
            throw new IllegalStateException("temporary store " + dir + ": " + e.getMessage(), e);
        }
    }

    public byte[] get(String key) {
        try {
            return db.get(key.getBytes(StandardCharsets.UTF_8));
        } catch (RocksDBException e) {
            throw new IllegalStateException("temporary store " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Records written so far (puts and deletes). */
    public long writes() {
        return puts;
    }

    /** Every key with its value, in key order (UTF-8 byte order). */
    public void forEach(BiConsumer<String, byte[]> action) {
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                action.accept(new String(it.key(), StandardCharsets.UTF_8), it.value());
            }
        }
    }

    @Override
    public void close() {
        db.close();
        writes.close();
        options.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
