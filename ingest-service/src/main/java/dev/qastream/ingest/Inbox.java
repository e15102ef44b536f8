package dev.qastream.ingest;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The watched folder. Lists its documents, what it skipped (ignore rules) and what it could not read;
 * says when the folder itself is missing or unreadable, so that "I cannot see it" is never taken for
 * "it was deleted". A file counts as settled once its size, modification time, change time and file key
 * have been seen unchanged for the settle time, so a file still being copied is not read half-way, even
 * when the copy sets an old modification time. Symbolic links are resolved only when they stay inside
 * the inbox. What cannot or must not be read is listed with the reason, never opened: a link out of the
 * inbox, a broken link or a link loop, a named pipe (opening one for reading would block the scan until
 * something writes to it), a socket or device, and a name that is not valid in the file system's encoding
 * (its document id could not name the file exactly). Polling rather than a WatchService: recursive,
 * portable, and it sees files that arrived while the service was down.
 */
final class Inbox {
    private final Path root;
    private final long settleMs;
    private final InboxFiles files;
    private final IgnoreRules configuredIgnores;
    private final Map<Path, Seen> seen = new HashMap<>();

    /** A file found in the inbox; {@code refusal}: why it is not read (then no stat), or null. */
    record Entry(String documentId, Path path, long size, String refusal, FileStat stat) {
        static Entry refused(String documentId, Path path, String why) {
            return new Entry(documentId, path, 0, why, null);
        }
    }

    /**
     * One pass over the folder. {@code problem} non-null: the inbox itself could not be listed and nothing
     * else is meaningful. {@code unreadable}: sub-folders (id ending in '/') and files that exist but could
     * not be looked into, with the reason; documents under them are not deleted.
     */
    record Listing(String problem, String folderIdentity, List<Entry> entries, int skipped,
                   Map<String, String> unreadable, IgnoreRules ignores) {
        /** True when the document is in a folder that could not be read, or is itself unreadable. */
        boolean hides(String documentId) {
            if (unreadable.containsKey(documentId)) {
                return true;
            }
            int slash = -1;
            while ((slash = documentId.indexOf('/', slash + 1)) >= 0) {
                if (unreadable.containsKey(documentId.substring(0, slash + 1))) {
                    return true;
                }
            }
            return false;
        }
    }

    private record Seen(FileStat stat, long since) {
    }

    Inbox(Path root, long settleMs, String ignorePatterns, InboxFiles files) {
        this.root = root.toAbsolutePath().normalize();
        this.settleMs = settleMs;
        this.files = files;
        this.configuredIgnores = IgnoreRules.of(ignorePatterns);
    }

    Path root() {
        return root;
    }

    /** Every document under the inbox, settled or not (for deletion detection). */
    Listing list() {
        String identity;
        Path realRoot;
        List<Path> top;
        IgnoreRules ignores;
        try {
            String missing = missingRoot();
            if (missing != null) {
                return refused(missing);
            }
            identity = FileStat.folderIdentity(root);
            realRoot = root.toRealPath();
            top = files.list(root);
            ignores = configuredIgnores.withInboxFile(root, files);
        } catch (IOException e) {
            return unreadableRoot(e);
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, String> unreadable = new LinkedHashMap<>();
        int[] skipped = {0};
        walk(top, realRoot, ignores, entries, unreadable, skipped);
        // The inbox moved away (or was replaced) while it was walked: what the walk missed is not deleted.
        String gone = missingRoot();
        if (gone != null) {
            return refused(gone);
        }
        try {
            if (!identity.equals(FileStat.folderIdentity(root))) {
                return refused("inbox folder " + root + " was replaced while it was scanned");
            }
        } catch (IOException e) {
            return unreadableRoot(e);
        }
        Set<Path> present = new HashSet<>();
        entries.forEach(e -> present.add(e.path()));
        seen.keySet().retainAll(present);
        return new Listing(null, identity, entries, skipped[0], unreadable, ignores);
    }

    /** Why the inbox root cannot be scanned (missing, not a folder), or null. */
    private String missingRoot() {
        if (!Files.exists(root)) {
            return "inbox folder " + root + " does not exist (moved, renamed or unmounted?)";
        }
        if (!Files.isDirectory(root)) {
            return "inbox " + root + " is not a folder";
        }
        return null;
    }

    /**
     * The root failed to read. If it went away between the check and the read, that is the same "does not exist"
     * as at any other moment, so the one error reported for a missing inbox is not reported again in other words.
     */
    private Listing unreadableRoot(IOException e) {
        String gone = missingRoot();
        return refused(gone != null ? gone : "inbox folder " + root + " cannot be read: " + reason(e));
    }

    private Listing refused(String problem) {
        return new Listing(problem, null, List.of(), 0, Map.of(), configuredIgnores);
    }

    private void walk(List<Path> listed, Path realRoot, IgnoreRules ignores, List<Entry> entries,
                      Map<String, String> unreadable, int[] skipped) {
        List<Path> children = new ArrayList<>(listed);
        children.sort(Comparator.naturalOrder());
        for (Path child : children) {
            String id = documentId(child);
            if (IgnoreRules.isIgnoreFile(id)) {
                continue;
            }
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                continue; // vanished between listing and looking
            } catch (IOException e) {
                unreadable.put(id, reason(e));
                continue;
            }
            if (ignores.matches(id, attrs.isDirectory())) {
                skipped[0]++;
                continue;
            }
            String badName = unrepresentableName(child, id);
            if (badName != null) {
                if (attrs.isDirectory()) {
                    unreadable.put(id + "/", badName);
                } else {
                    entries.add(Entry.refused(id, child, badName));
                }
                continue;
            }
            if (attrs.isDirectory()) {
                List<Path> grandChildren;
                try {
                    grandChildren = files.list(child);
                } catch (NoSuchFileException | NotDirectoryException e) {
                    continue; // removed or replaced while we looked
                } catch (IOException e) {
                    unreadable.put(id + "/", reason(e));
                    continue;
                }
                Path ignoreFile = child.resolve(IgnoreRules.FILE_NAME);
                if (grandChildren.contains(ignoreFile)) {
                    try {
                        ignores.addFolderFile(id, files.read(ignoreFile));
                    } catch (NoSuchFileException e) {
                        // removed while we looked
                    } catch (IOException e) {
                        unreadable.put(id + "/" + IgnoreRules.FILE_NAME, reason(e));
                    }
                }
                walk(grandChildren, realRoot, ignores, entries, unreadable, skipped);
            } else if (attrs.isSymbolicLink()) {
                link(child, id, realRoot, entries, unreadable);
            } else if (attrs.isRegularFile()) {
                try {
                    entries.add(new Entry(id, child, attrs.size(), null, FileStat.of(child)));
                } catch (NoSuchFileException e) {
                    // vanished
                } catch (IOException e) {
                    unreadable.put(id, reason(e));
                }
            } else {
                entries.add(Entry.refused(id, child, "not a regular file: " + specialKind(child) + "; never opened"));
            }
        }
    }

    /** Why the file's name cannot be its document id (it does not decode), or null. */
    private String unrepresentableName(Path child, String id) {
        try {
            if (root.resolve(id).equals(child.toAbsolutePath().normalize())) {
                return null;
            }
        } catch (InvalidPathException e) {
            // the decoded name cannot even be encoded back
        }
        return "file name is not valid " + System.getProperty("sun.jnu.encoding", "text")
                + ", so no document id can name it exactly; rename it";
    }

    /** A named pipe, socket or device, in words (from the file type bits of the unix mode where there is one). */
    private static String specialKind(Path file) {
        try {
            int type = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
            return switch (type) {
                case 0010000 -> "a named pipe (FIFO)";
                case 0140000 -> "a socket";
                case 0020000, 0060000 -> "a device";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a named pipe, socket or device";
        }
    }

    private void link(Path link, String id, Path realRoot, List<Entry> entries, Map<String, String> unreadable) {
        Path target;
        try {
            target = link.toRealPath();
        } catch (NoSuchFileException e) {
            entries.add(Entry.refused(id, link, "symbolic link points to nothing (a broken link to " + linkTarget(link)
                    + "); not followed"));
            return;
        } catch (FileSystemException e) {
            boolean loop = e.getReason() != null && e.getReason().contains("levels of symbolic links");
            entries.add(Entry.refused(id, link, loop ? "symbolic link loop (it leads back to itself); not followed"
                    : "symbolic link cannot be followed (" + reason(e) + ")"));
            return;
        } catch (IOException e) {
            entries.add(Entry.refused(id, link, "symbolic link cannot be followed (" + reason(e) + ")"));
            return;
        }
        if (!target.startsWith(realRoot)) {
            entries.add(Entry.refused(id, link, "symbolic link points outside the inbox (to " + target
                    + "); not followed"));
            return;
        }
        if (!Files.isRegularFile(target)) {
            entries.add(Entry.refused(id, link, "symbolic link points to a folder or special file; not followed"));
            return;
        }
        try {
            FileStat stat = FileStat.of(target);
            entries.add(new Entry(id, link, stat.size(), null, stat));
        } catch (NoSuchFileException e) {
            // vanished
        } catch (IOException e) {
            unreadable.put(id, reason(e));
        }
    }

    /** True once the file's stat has been seen unchanged for the settle time (at once when that is 0). */
    boolean settled(Entry e, long nowMs) {
        Seen previous = seen.get(e.path());
        if (previous == null || !previous.stat.sameAs(e.stat())) {
            seen.put(e.path(), new Seen(e.stat(), nowMs));
            return settleMs <= 0;
        }
        return nowMs - previous.since >= settleMs;
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "?";
        }
    }

    byte[] read(Path file) throws IOException {
        return files.read(file);
    }

    String documentId(Path file) {
        return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "not found";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
