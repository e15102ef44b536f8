package dev.qastream.runtime.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataDirLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondOwnerOfTheSameDataDirectoryIsRefusedWithTheFirstOnesPid() throws Exception {
        // Given the data directory is locked
        try (DataDirLock first = DataDirLock.acquire(dir)) {
            assertThat(Files.readString(dir.resolve(DataDirLock.FILE))).isEqualTo(String.valueOf(ProcessHandle.current().pid()));

            // Then a second start on it fails, saying who holds it and what to do
            assertThatThrownBy(() -> DataDirLock.acquire(dir))
                    .hasMessageContaining("in use by another qastream process")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("--data-dir");
        }
        // and once released, the directory can be taken again
        DataDirLock.acquire(dir).close();
    }
}
