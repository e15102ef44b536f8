package dev.qastream.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The watched folder. Lists the files ready to be read: a file counts once its size and modification
 * time have stayed the same for the settle time (so a file still being copied is not read half-way).
 * Sub-folders are walked; symbolic links are resolved only when they stay inside the inbox.
 * Polling is used rather than a WatchService: it is recursive, portable, and sees files that arrived
 * while the service was down.
 */
final class Inbox {
    private final Path root;
    private final long settleMs;
    private final Map<Path, Seen> seen = new HashMap<>();

    /** A file found in the inbox; {@code escapesInbox} when it is a link to somewhere outside. */
    record Entry(String documentId, Path path, long size, boolean escapesInbox) {
    }

    private record Seen(long size, long modified, long since) {
    }

    Inbox(Path root, long settleMs) {
        this.root = root.toAbsolutePath().normalize();
        this.settleMs = settleMs;
    }

    Path root() {
        return root;
    }

    /** Every regular file under the inbox, settled or not (for deletion detection). */
    List<Entry> list() {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return entries;
        }
        try {
            Path realRoot = root.toRealPath();
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(root) && ignored(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (ignored(file)) {
                        return FileVisitResult.CONTINUE;
                    }
                    String id = documentId(file);
                    if (attrs.isSymbolicLink()) {
                        Path target;
                        try {
                            target = file.toRealPath();
                        } catch (IOException e) {
                            entries.add(new Entry(id, file, 0, true));
                            return FileVisitResult.CONTINUE;
                        }
                        boolean inside = target.startsWith(realRoot) && Files.isRegularFile(target);
                        entries.add(new Entry(id, file, inside ? Files.size(target) : 0, !inside));
                    } else if (attrs.isRegularFile()) {
                        entries.add(new Entry(id, file, attrs.size(), false));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE; // vanished between listing and visiting
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list inbox " + root, e);
        }
        return entries;
    }

    /** True once the file has not changed for the settle time. */
    boolean settled(Entry e, long nowMs) {
        long modified;
        try {
            modified = Files.getLastModifiedTime(e.path(), LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (IOException ex) {
            return false;
        }
        if (nowMs - modified >= settleMs) {
            seen.remove(e.path());
            return true;
        }
        Seen previous = seen.get(e.path());
        if (previous == null || previous.size != e.size() || previous.modified != modified) {
            seen.put(e.path(), new Seen(e.size(), modified, nowMs));
            return false;
        }
        if (nowMs - previous.since >= settleMs) {
            seen.remove(e.path());
            return true;
        }
        return false;
    }

    String documentId(Path file) {
        return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** Hidden files and the temporary names editors and downloads use are not documents. */
    private static boolean ignored(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(".") || name.endsWith("~") || name.endsWith(".tmp") || name.endsWith(".part")
                || name.endsWith(".crdownload") || name.endsWith(".swp");
    }
}
