package dev.qastream.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * The two rules that keep a scan from removing documents it merely cannot see: a data dir belongs to
 * one inbox (checked at start), and an inbox that has lost every known document is emptied only when it
 * is still the folder the data dir adopted (checked on every scan). {@code allowChange}
 * ({@code ingest.allow-inbox-change}, {@code --switch-inbox}) lifts both.
 */
final class InboxGuard {
    private static final Logger log = LoggerFactory.getLogger(InboxGuard.class);

    private final Path dataDir;
    private final Path inbox;
    private final boolean allowChange;
    private InboxOwnership ownership;

    InboxGuard(Path dataDir, Path inbox, boolean allowChange) {
        this.dataDir = dataDir;
        this.inbox = inbox;
        this.allowChange = allowChange;
    }

    /**
     * The data dir's inbox, adopted on first use. Another path is refused when it would remove documents,
     * unless the configuration allows the change; the same folder moved to another path is followed.
     */
    void checkOwnership(Set<String> known) {
        InboxOwnership owner = InboxOwnership.load(dataDir);
        Path path = inbox;
        String identity = folderIdentity(path);
        if (owner.inbox() == null) {
            owner.adopt(path, identity);
            log.info("ingest: data dir {} belongs to inbox {} from now on", dataDir.toAbsolutePath(), path);
            ownership = owner;
            return;
        }
        if (owner.isInbox(path)) {
            if (owner.identity() == null && identity != null) {
                owner.adopt(path, identity);
            }
            ownership = owner;
            return;
        }
        if (identity != null && identity.equals(owner.identity())) {
            log.info("ingest: inbox {} is the folder {} under a new name; following it", path, owner.inbox());
            owner.adopt(path, identity);
            ownership = owner;
            return;
        }
        long missing = known.stream().filter(id -> !Files.exists(path.resolve(id), LinkOption.NOFOLLOW_LINKS)).count();
        if (missing == 0) {
            log.info("ingest: data dir {} moves from inbox {} to {}, which holds all its {} documents",
                    dataDir.toAbsolutePath(), owner.inbox(), path, known.size());
        } else if (allowChange) {
            log.warn("ingest: data dir {} switches from inbox {} to {} as asked (ingest.allow-inbox-change); "
                    + "{} of its {} documents are not there and will be removed from the dataset",
                    dataDir.toAbsolutePath(), owner.inbox(), path, missing, known.size());
        } else {
            throw new IllegalStateException(String.format(
                    "data dir %s belongs to inbox %s (%d documents ingested from it); using it with inbox %s would "
                    + "remove %d of them from the dataset (those not in %s). To keep both, give this inbox its own "
                    + "data dir (--data-dir another-folder). To switch this data dir to %s and remove them, run again "
                    + "with --switch-inbox (config: ingest.allow-inbox-change: true).",
                    dataDir.toAbsolutePath(), owner.inbox(), known.size(), path, missing, path, path));
        }
        owner.adopt(path, identity);
        ownership = owner;
    }

    private static String folderIdentity(Path dir) {
        try {
            return Files.isDirectory(dir) ? FileStat.folderIdentity(dir) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Null when the scan may go on; otherwise why not. A scan that would remove every known document is
     * allowed only in the folder the data dir adopted (or when ingest.allow-inbox-change says so): an empty
     * folder in its place is most often a mount point whose drive went away. Any other scan adopts the
     * folder it sees, so re-creating the inbox with (some of) its documents is followed.
     */
    String checkFolder(Inbox.Listing listing, Set<String> known, Set<String> present) {
        if (listing.folderIdentity().equals(ownership.identity())) {
            if (!known.isEmpty() && known.stream().noneMatch(id -> present.contains(id) || listing.hides(id))) {
                log.warn("ingest: none of the {} documents is left in inbox {} (the same folder as before): "
                        + "removing them all from the dataset", known.size(), inbox);
            }
            return null;
        }
        boolean wipesAll = !known.isEmpty() && known.stream().noneMatch(id -> present.contains(id) || listing.hides(id));
        if (wipesAll && !allowChange) {
            return String.format("inbox %s is not the folder this data dir adopted (%s, now %s) and none of the %d "
                    + "documents ingested from it is there (an unmounted drive or a replaced folder?). Bring the "
                    + "folder back, or run with --switch-inbox (config: ingest.allow-inbox-change: true) to adopt "
                    + "this folder and remove those documents",
                    inbox, ownership.identity(), listing.folderIdentity(), known.size());
        }
        if (ownership.identity() != null) {
            log.info("ingest: inbox {} is a new folder ({}, was {}); adopting it", inbox,
                    listing.folderIdentity(), ownership.identity());
        }
        ownership.adopt(inbox, listing.folderIdentity());
        return null;
    }
}
