package dev.qastream.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The end-to-end fixture documents (src/test/resources/e2e/inbox), copied into a test's inbox. */
final class E2eFixtures {
    static final Path SOURCE = Path.of("src/test/resources/e2e/inbox");

    private E2eFixtures() {
    }

    static void copyTo(Path inbox) throws IOException {
        try (Stream<Path> files = Files.walk(SOURCE)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = inbox.resolve(SOURCE.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }
    }
}
