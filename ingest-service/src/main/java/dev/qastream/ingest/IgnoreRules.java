package dev.qastream.ingest;

import org.eclipse.jgit.ignore.FastIgnoreRule;
import org.eclipse.jgit.ignore.IgnoreNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which inbox paths are not documents: the patterns of {@code ingest.ignore} followed by those of an
 * optional {@code .qastreamignore} at the top of the inbox, and of one in any folder below (its patterns
 * relative to that folder), all in gitignore syntax and with git's precedence: the deepest file with a
 * matching pattern decides, its last matching pattern wins, {@code !pattern} re-includes, and nothing inside
 * an ignored folder can be re-included. Matching is JGit's gitignore implementation, not a home-made one.
 */
public final class IgnoreRules {
    static final String FILE_NAME = ".qastreamignore";

    /** By folder id ("" for the inbox itself). */
    private final Map<String, IgnoreNode> nodes;

    private IgnoreRules(Map<String, IgnoreNode> nodes) {
        this.nodes = nodes;
    }

    /** {@code configured}: patterns separated by commas or new lines. */
    public static IgnoreRules of(String configured) {
        return new IgnoreRules(Map.of("", new IgnoreNode(rules(configured))));
    }

    /**
     * One scan's rules: the configured patterns, then the inbox's own file when it has one (read on every scan:
     * it may change). The folders' files are added as the scan walks down to them ({@link #addFolderFile}).
     */
    IgnoreRules withInboxFile(Path inboxRoot, InboxFiles files) throws IOException {
        Map<String, IgnoreNode> scan = new HashMap<>(nodes);
        byte[] bytes;
        try {
            bytes = files.read(inboxRoot.resolve(FILE_NAME));
        } catch (NoSuchFileException e) {
            return new IgnoreRules(scan);
        }
        List<FastIgnoreRule> all = new ArrayList<>(nodes.get("").getRules());
        all.addAll(rules(new String(bytes, StandardCharsets.UTF_8)));
        scan.put("", new IgnoreNode(all));
        return new IgnoreRules(scan);
    }

    /** The patterns of folder {@code folderId}'s own file (only on a scan's rules, from withInboxFile). */
    void addFolderFile(String folderId, byte[] file) {
        nodes.put(folderId, new IgnoreNode(rules(new String(file, StandardCharsets.UTF_8))));
    }

    /** Whether {@code id} is one of the ignore files themselves (not a document). */
    static boolean isIgnoreFile(String id) {
        return id.equals(FILE_NAME) || id.endsWith("/" + FILE_NAME);
    }

    /** True when the entry itself matches (its parent folders are checked by the caller as it walks). */
    boolean matches(String relativePath, boolean isDirectory) {
        // From the deepest folder with a file up to the inbox: the first that has a say decides, as in git.
        int slash = relativePath.length();
        while (true) {
            slash = relativePath.lastIndexOf('/', slash - 1);
            IgnoreNode node = nodes.get(slash < 0 ? "" : relativePath.substring(0, slash));
            if (node != null) {
                Boolean ignored = node.checkIgnored(relativePath.substring(slash + 1), isDirectory);
                if (ignored != null) {
                    return ignored;
                }
            }
            if (slash < 0) {
                return false;
            }
        }
    }

    /** True when the file or any folder above it matches: for documents ingested before a rule was added. */
    public boolean coversDocument(String documentId) {
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
