package dev.qastream.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;

/**
 * What a stat call says about a file, enough to tell that it changed without reading it: size,
 * modification time, change time (ctime, where the platform has it) and file key (device and inode).
 * The change time is what makes a copy that restores an old modification time (cp -p, rsync, unzip)
 * still look fresh: the system sets it on every write and on every time change, and no one can set it back.
 */
record FileStat(long size, long modifiedNanos, long changedNanos, Object fileKey) {
    private static volatile boolean unixView = true;

    /** Follows a link (callers only stat links that stay inside the inbox). */
    static FileStat of(Path file) throws IOException {
        if (unixView) {
            try {
                Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,fileKey");
                return new FileStat((Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")),
                        nanos((FileTime) a.get("ctime")), a.get("fileKey"));
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                unixView = false; // not a unix file system: size, time and key are what there is
            }
        }
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new FileStat(a.size(), nanos(a.lastModifiedTime()), 0, a.fileKey());
    }

    /** The identity of a folder: its file key where the platform has one, else its creation time. */
    static String folderIdentity(Path dir) throws IOException {
        BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class);
        return a.fileKey() != null ? "key:" + a.fileKey() : "created:" + a.creationTime().toMillis();
    }

    private static long nanos(FileTime t) {
        return t == null ? 0 : t.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    boolean sameAs(FileStat o) {
        return o != null && size == o.size && modifiedNanos == o.modifiedNanos && changedNanos == o.changedNanos
                && Objects.equals(fileKey, o.fileKey);
    }
}
