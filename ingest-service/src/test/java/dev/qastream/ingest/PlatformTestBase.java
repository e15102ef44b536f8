package dev.qastream.ingest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** One embedded platform and inbox per test class: document ids are relative to the inbox, so classes must not share. */
abstract class PlatformTestBase {
    @TempDir
    static Path dir;
    static IngestHarness h;

    @BeforeAll
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    static void startPlatform() throws Exception {
        h = IngestHarness.start(dir);
    }

    @AfterAll
    static void stopPlatform() {
        if (h != null) {
            h.close();
        }
    }
}
