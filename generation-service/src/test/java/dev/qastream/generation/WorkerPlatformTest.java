package dev.qastream.generation;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** One embedded platform (broker and registry) per worker test class, with its harness. */
abstract class WorkerPlatformTest {
    @TempDir
    static Path dir;
    static WorkerHarness h;

    @BeforeAll
    static void startPlatform() {
        h = WorkerHarness.start(dir);
    }

    @AfterAll
    static void stopPlatform() {
        if (h != null) {
            h.close();
            h = null;
        }
    }
}
