package dev.qastream.ingest;

import org.eclipse.jgit.ignore.FastIgnoreRule;
import org.eclipse.jgit.ignore.IgnoreNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which inbox paths are not documents: the patterns of {@code ingest.ignore} followed by those of an
 * optional {@code .qastreamignore} at the top of the inbox, both in gitignore syntax (the inbox file can
 * re-include with {@code !pattern}; as in git, nothing inside an ignored folder can be re-included).
 * Matching is JGit's gitignore implementation, not a home-made one.
 */
final class IgnoreRules {
    static final String FILE_NAME = ".qastreamignore";

    private final IgnoreNode node;

    private IgnoreRules(IgnoreNode node) {
        this.node = node;
    }

    /** {@code configured}: patterns separated by commas or new lines. */
    static IgnoreRules of(String configured) {
        return new IgnoreRules(new IgnoreNode(rules(configured)));
    }

    /** The configured patterns, then the inbox's own file when it has one (read on every scan: it may change). */
    IgnoreRules withInboxFile(Path inboxRoot, InboxFiles files) throws IOException {
        byte[] bytes;
        try {
            bytes = files.read(inboxRoot.resolve(FILE_NAME));
        } catch (NoSuchFileException e) {
            return this;
        }
        List<FastIgnoreRule> all = new ArrayList<>(node.getRules());
        all.addAll(rules(new String(bytes, StandardCharsets.UTF_8)));
        return new IgnoreRules(new IgnoreNode(all));
    }

    /** True when the entry itself matches (its parent folders are checked by the caller as it walks). */
    boolean matches(String relativePath, boolean isDirectory) {
        return node.isIgnored(relativePath, isDirectory) == IgnoreNode.MatchResult.IGNORED;
    }

    /** True when the file or any folder above it matches: for documents ingested before a rule was added. */
    boolean coversDocument(String documentId) {
        int slash = -1;
        while ((slash = documentId.indexOf('/', slash + 1)) >= 0) {
            if (matches(documentId.substring(0, slash), true)) {
                return true;
            }
        }
        return matches(documentId, false);
    }

    private static List<FastIgnoreRule> rules(String text) {
        List<FastIgnoreRule> rules = new ArrayList<>();
        for (String line : text.split("[,\\r\\n]")) {
            String pattern = line.strip();
            if (!pattern.isEmpty() && !pattern.startsWith("#")) {
                rules.add(new FastIgnoreRule(pattern));
            }
        }
        return rules;
    }
}
