package dev.qastream.ingest;

import dev.qastream.runtime.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The ignore rules as configured by default, plus a .qastreamignore, in gitignore syntax. */
class IgnoreRulesTest {
    private static final IgnoreRules DEFAULTS = IgnoreRules.of(Config.load(null, java.util.Map.of()).string("ingest.ignore"));

    @Test
    void theDefaultsSkipWhatIsNotDocumentation() {
        // Given the default ignore list, then each of these is skipped, at the top or deeper down
        assertThat(DEFAULTS.matches("LICENSE", false)).isTrue();
        assertThat(DEFAULTS.matches("lte/LICENSE.md", false)).isTrue();
        assertThat(DEFAULTS.matches("NOTICE.txt", false)).isTrue();
        assertThat(DEFAULTS.matches("COPYING", false)).isTrue();
        assertThat(DEFAULTS.matches("CHANGELOG.md", false)).isTrue();
        assertThat(DEFAULTS.matches(".git", true)).isTrue();
        assertThat(DEFAULTS.matches("nr/.hidden", true)).isTrue();
        assertThat(DEFAULTS.matches("draft.md~", false)).isTrue();
        assertThat(DEFAULTS.matches("upload.md.part", false)).isTrue();
        assertThat(DEFAULTS.matches("target", true)).isTrue();
        assertThat(DEFAULTS.matches("site/build", true)).isTrue();
        assertThat(DEFAULTS.matches("node_modules", true)).isTrue();

        // And documents, and a file that is merely named like a build folder, are not
        assertThat(DEFAULTS.matches("lte/carrier_aggregation.md", false)).isFalse();
        assertThat(DEFAULTS.matches("nr/licensed_assisted_access.md", false)).isFalse();
        assertThat(DEFAULTS.matches("build", false)).isFalse();
        assertThat(DEFAULTS.matches("target.md", false)).isFalse();
    }

    @Test
    void aDocumentUnderAnIgnoredFolderIsCovered() {
        assertThat(DEFAULTS.coversDocument("node_modules/pkg/readme.md")).isTrue();
        assertThat(DEFAULTS.coversDocument("lte/.drafts/x.md")).isTrue();
        assertThat(DEFAULTS.coversDocument("lte/x.md")).isFalse();
    }

    @Test
    void theInboxFileAddsPatternsAndCanReIncludeAFile(@TempDir Path inbox) throws Exception {
        // Given a .qastreamignore that skips drafts and takes the NOTICE of one feature back
        Files.writeString(inbox.resolve(IgnoreRules.FILE_NAME), "# not for training\ndrafts/\n*.csv\n!NOTICE-feature.md\n");

        IgnoreRules rules = DEFAULTS.withInboxFile(inbox, InboxFiles.LOCAL);

        assertThat(rules.matches("drafts", true)).isTrue();
        assertThat(rules.matches("lte/table.csv", false)).isTrue();
        assertThat(rules.matches("NOTICE-feature.md", false)).isFalse();
        assertThat(rules.matches("NOTICE", false)).isTrue();
        assertThat(rules.matches("lte/feature.md", false)).isFalse();
    }

    @Test
    void configuredPatternsAreCommaSeparated() {
        IgnoreRules rules = IgnoreRules.of("*.pdf, archive/");
        assertThat(rules.matches("x/spec.pdf", false)).isTrue();
        assertThat(rules.matches("archive", true)).isTrue();
        assertThat(rules.matches("LICENSE", false)).isFalse();
    }

    @Test
    void aFolderCanHaveItsOwnFileWhosePatternsAreRelativeToItAndWinOverTheInboxs(@TempDir Path inbox) throws Exception {
        // Given an inbox whose top file skips every CSV, and a folder whose own file skips drafts and takes one CSV back
        Files.writeString(inbox.resolve(IgnoreRules.FILE_NAME), "*.csv\n");
        Files.createDirectories(inbox.resolve("lte/drafts"));
        Files.createDirectories(inbox.resolve("nr/drafts"));
        Files.writeString(inbox.resolve("lte").resolve(IgnoreRules.FILE_NAME), "/drafts/\n!parameters.csv\n");
        for (String f : List.of("lte/feature.md", "lte/drafts/next.md", "lte/parameters.csv", "lte/counters.csv",
                "nr/feature.md", "nr/drafts/next.md", "nr/parameters.csv")) {
            Files.writeString(inbox.resolve(f), "# " + f + "\n\nText.\n");
        }

        // When the inbox is listed
        Inbox.Listing listing = new Inbox(inbox, 0, "", InboxFiles.LOCAL).list();

        // Then the folder's rules apply in that folder only, a re-included file is back, and the files themselves
        // are not documents
        assertThat(listing.entries()).extracting(Inbox.Entry::documentId)
                .containsExactlyInAnyOrder("lte/feature.md", "lte/parameters.csv", "nr/drafts/next.md", "nr/feature.md");
        assertThat(listing.ignores().coversDocument("lte/drafts/next.md")).isTrue();
        assertThat(listing.ignores().coversDocument("nr/drafts/next.md")).isFalse();
        assertThat(listing.ignores().coversDocument("lte/counters.csv")).isTrue();
        // and the next scan reads the files again: a folder's file removed is a rule removed
        Files.delete(inbox.resolve("lte").resolve(IgnoreRules.FILE_NAME));
        assertThat(new Inbox(inbox, 0, "", InboxFiles.LOCAL).list().ignores().coversDocument("lte/drafts/next.md")).isFalse();
    }
}
