package dev.qastream.generation.worker;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksObject;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The cache view's entries on disk: a RocksDB of two column families, {@code entries} (cache key to the
 * entry's plain Avro) and the default one for groups (chunk checksum and model to the members the retention
 * rule tracks). A scratch copy of the topic, rebuilt at every start: one folder per view,
 * {@code <root>/<pid>-<id>}, deleted on close, with no write-ahead log. Folders that a process no longer
 * alive left behind (killed) are deleted when the next view opens beside them. Native memory is bounded
 * by small write buffers and one block cache; index and filter blocks grow with the data (about 1 MB at 200,000 entries).
 */
final class CacheStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CacheStore.class);
    private static final long BLOCK_CACHE_BYTES = 32L << 20;
    private static final long BLOCK_BYTES = 8L << 10;
    private static final long ENTRY_WRITE_BUFFER_BYTES = 8L << 20;
    private static final long GROUP_WRITE_BUFFER_BYTES = 2L << 20;

    static {
        RocksDB.loadLibrary();
    }

    private final Path folder;
    private final List<RocksObject> resources = new ArrayList<>();
    private final RocksDB db;
    private final ColumnFamilyHandle entries;
    private final ColumnFamilyHandle groups;
    private final WriteOptions writes;

    private CacheStore(Path folder) throws RocksDBException {
        this.folder = folder;
        LRUCache blockCache = keep(new LRUCache(BLOCK_CACHE_BYTES));
        BloomFilter filter = keep(new BloomFilter(10));
        // Index and filter blocks stay with their table readers, outside the block cache: in a small cache they
        // would be evicted by data blocks and read again for nearly every lookup. 8 KB blocks (about 4 entries)
        // keep the index small (about 1 MB for 200,000 entries) and compress better than 4 KB ones.
        BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(blockCache).setFilterPolicy(filter)
                .setBlockSize(BLOCK_BYTES);
        ColumnFamilyOptions entryOptions = keep(new ColumnFamilyOptions().setTableFormatConfig(table)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setWriteBufferSize(ENTRY_WRITE_BUFFER_BYTES).setMaxWriteBufferNumber(2));
        ColumnFamilyOptions groupOptions = keep(new ColumnFamilyOptions().setTableFormatConfig(table)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setWriteBufferSize(GROUP_WRITE_BUFFER_BYTES).setMaxWriteBufferNumber(2));
        DBOptions options = keep(new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2).setMaxOpenFiles(256));
        List<ColumnFamilyDescriptor> families = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, groupOptions),
                new ColumnFamilyDescriptor(bytes("entries"), entryOptions));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            this.db = RocksDB.open(options, folder.toString(), families, handles);
        } catch (RocksDBException | RuntimeException e) {
            closeResources();
            throw e;
        }
        this.groups = handles.get(0);
        this.entries = handles.get(1);
        // A scratch copy of the topic: a crash loses nothing the topic does not hold, so no write-ahead log.
        this.writes = keep(new WriteOptions().setDisableWAL(true));
    }

    /** A fresh, empty store in a folder of its own under {@code root}. */
    static CacheStore open(Path root) {
        try {
            Files.createDirectories(root);
            deleteLeftovers(root);
            Path folder = root.resolve(ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
            return new CacheStore(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the generation cache folder under " + root, e);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot open the generation cache store under " + root + ": " + e.getMessage(), e);
        }
    }

    Path folder() {
        return folder;
    }

    byte[] entry(String key) {
        return get(entries, key);
    }

    byte[] group(String group) {
        return get(groups, group);
    }

    /** One atomic change of both families. */
    final class Change implements AutoCloseable {
        private final WriteBatch batch = new WriteBatch();

        Change putEntry(String key, byte[] value) {
            return run(() -> batch.put(entries, bytes(key), value));
        }

        Change deleteEntry(String key) {
            return run(() -> batch.delete(entries, bytes(key)));
        }

        Change putGroup(String group, byte[] members) {
            return run(() -> batch.put(groups, bytes(group), members));
        }

        Change deleteGroup(String group) {
            return run(() -> batch.delete(groups, bytes(group)));
        }

        void commit() {
            run(() -> db.write(writes, batch));
        }

        private Change run(RocksAction action) {
            try {
                action.run();
                return this;
            } catch (RocksDBException e) {
                throw new IllegalStateException("generation cache store: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            batch.close();
        }
    }

    Change change() {
        return new Change();
    }

    private interface RocksAction {
        void run() throws RocksDBException;
    }

    private byte[] get(ColumnFamilyHandle family, String key) {
        try {
            return db.get(family, bytes(key));
        } catch (RocksDBException e) {
            throw new IllegalStateException("generation cache store: " + e.getMessage(), e);
        }
    }

    private <T extends RocksObject> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Closes the database (no call may be in progress or follow) and deletes its folder. */
    @Override
    public void close() {
        // Handles before the database, the database before its options.
        entries.close();
        groups.close();
        db.close();
        closeResources();
        try {
            deleteTree(folder);
        } catch (UncheckedIOException e) {
            log.warn("generation cache: cannot delete {}; the next view started here deletes it: {}", folder, e.getMessage());
        }
    }

    private void closeResources() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        resources.clear();
    }

    /** Folders of processes that are gone: a killed process never deleted its own. */
    private static void deleteLeftovers(Path root) throws IOException {
        try (Stream<Path> folders = Files.list(root)) {
            folders.filter(f -> !ownerAlive(f.getFileName().toString())).forEach(CacheStore::deleteTree);
        }
    }

    private static boolean ownerAlive(String folderName) {
        int dash = folderName.indexOf('-');
        try {
            long pid = Long.parseLong(dash < 0 ? folderName : folderName.substring(0, dash));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not a view's folder: not ours to delete
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
