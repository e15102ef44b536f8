package dev.qastream.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A listing of the inbox is complete or refused: never a partial one that would read as deletions. */
class InboxListingTest {
    @TempDir
    Path dir;

    @Test
    void anInboxMovedAwayWhileItIsWalkedIsRefusedNotListedInPart() throws Exception {
        // Given an inbox with a document at the top and one in a subfolder
        Path inbox = dir.resolve("inbox");
        Files.createDirectories(inbox.resolve("sub"));
        Files.writeString(inbox.resolve("a.md"), "# A\n\nText.\n");
        Files.writeString(inbox.resolve("sub/b.md"), "# B\n\nText.\n");
        Path away = dir.resolve("inbox-away");

        // When the inbox is moved away just as the walk reaches the subfolder
        InboxFiles movingAway = new InboxFiles() {
            @Override
            public List<Path> list(Path folder) throws IOException {
                if (folder.endsWith("sub")) {
                    Files.move(inbox, away);
                }
                return InboxFiles.LOCAL.list(folder);
            }

            @Override
            public byte[] read(Path file) throws IOException {
                return InboxFiles.LOCAL.read(file);
            }
        };
        Inbox.Listing listing = new Inbox(inbox, 0, "", movingAway).list();

        // Then the scan is refused, saying why, rather than listing a.md alone (which would delete b.md)
        assertThat(listing.problem()).isNotNull().contains("does not exist");
        assertThat(listing.entries()).isEmpty();
    }
}
