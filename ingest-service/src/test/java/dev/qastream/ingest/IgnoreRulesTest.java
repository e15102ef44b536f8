package dev.qastream.ingest;

import dev.qastream.runtime.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

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
}
