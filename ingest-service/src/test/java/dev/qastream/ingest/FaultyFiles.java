package dev.qastream.ingest;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The real file system, except that chosen folders cannot be listed and chosen files cannot be read
 * (AccessDeniedException, what the JDK throws for a permission error), and every file read is counted.
 * Tests run as root, for whom file modes deny nothing, so this is how they make a folder unreadable; what
 * it proves is how ingest handles the exception, not that the operating system raises it. A hook run before
 * each read stands in for a slow parse (it sleeps) or a parser thread that dies (it throws an Error).
 */
final class FaultyFiles implements InboxFiles {
    final Set<Path> unlistable = ConcurrentHashMap.newKeySet();
    final Set<Path> unreadable = ConcurrentHashMap.newKeySet();
    private final Map<Path, AtomicInteger> reads = new ConcurrentHashMap<>();
    /** Runs on the reading (parser) thread before each file read, with the file's absolute path. */
    volatile Consumer<Path> beforeRead = file -> { };

    @Override
    public List<Path> list(Path dir) throws IOException {
        if (unlistable.contains(key(dir))) {
            throw new AccessDeniedException(dir.toString());
        }
        return LOCAL.list(dir);
    }

    @Override
    public byte[] read(Path file) throws IOException {
        beforeRead.accept(key(file));
        if (unreadable.contains(key(file))) {
            throw new AccessDeniedException(file.toString());
        }
        byte[] bytes = LOCAL.read(file);
        reads.computeIfAbsent(key(file), k -> new AtomicInteger()).incrementAndGet();
        return bytes;
    }

    /** How many times the file's bytes were read. */
    int reads(Path file) {
        AtomicInteger n = reads.get(key(file));
        return n == null ? 0 : n.get();
    }

    private static Path key(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
