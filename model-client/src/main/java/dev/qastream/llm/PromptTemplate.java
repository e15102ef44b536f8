package dev.qastream.llm;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.FocusFact;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt template: a fixed system prompt and a user message with placeholders, read from
 * {@code prompts/<id>.system.txt} and {@code prompts/<id>.user.txt} on the classpath, each replaceable by a
 * file of the same name in a user folder ({@code generation.prompts-dir}). The chunk text goes only into
 * the user message, between {@code <document>} delimiters.
 *
 * <p>A template may have a focus section, {@code prompts/<id>.focus.txt}: for a coverage follow-up it is added
 * after the user message (outside the document block) with {@code {{facts}}}, one line per fact still uncovered.
 * The first-pass message and {@link #version} do not depend on it; a follow-up's pairs carry
 * {@link #focusVersion}, the version plus a hash of the focus section.
 *
 * @param focus the focus section's text, or null when the template has none
 */
public record PromptTemplate(String id, String system, String user, String version, String focus) {
    public static final String DEFAULT_ID = "qa";
    private static final String DOCUMENT = "{{document}}";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");

    public PromptTemplate {
        if (!user.contains(DOCUMENT)) {
            throw new IllegalArgumentException("prompt template " + id + ": the user template has no " + DOCUMENT + " placeholder");
        }
        if (system.contains("{{")) {
            throw new IllegalArgumentException("prompt template " + id + ": the system prompt is fixed and takes no placeholders");
        }
    }

    /** The template {@code id}, with files from {@code overrides} (null or blank: none) taking precedence. */
    public static PromptTemplate load(String id, String overrides) {
        String system = read(id + ".system.txt", overrides);
        String user = read(id + ".user.txt", overrides);
        String focus = readIfAny(id + ".focus.txt", overrides);
        return new PromptTemplate(id, system, user, id + "-" + shortHash(system + "\u0000" + user), focus);
    }

    /**
     * The version a follow-up's pairs carry: the first-pass version, '+', and a hash of the focus section. The part
     * before '+' is the first-pass version, so the cache keeps a follow-up's entries with its first pass's.
     */
    public String focusVersion() {
        return focus == null ? version : version + "+focus-" + shortHash(focus);
    }

    /** The user message, and for a follow-up ({@code facts} not empty) the focus section naming them after it. */
    public String userMessage(Chunk chunk, int pairs, List<FocusFact> facts) {
        String message = userMessage(chunk, pairs);
        if (facts == null || facts.isEmpty() || focus == null) {
            return message;
        }
        StringBuilder lines = new StringBuilder();
        for (FocusFact f : facts) {
            lines.append(lines.isEmpty() ? "" : "\n").append("- ").append(defuse(f.getText().strip()));
        }
        String section = focus.replace("{{facts}}", lines).replace("{{pairs}}", String.valueOf(pairs));
        return message.endsWith("\n") || section.startsWith("\n") ? message + section : message + "\n" + section;
    }

    /** A fact's text names things of the document: it must not open or close a delimited block of the prompt. */
    private static String defuse(String text) {
        return asData(text).replace("{{", "{ {");
    }

    /**
     * Text put into the prompt (a chunk, a pair, a fact) as data: it can neither open nor close one of the prompt's
     * delimited blocks, in any case or spacing ({@code </DOCUMENT >}), nor carry a chat template's turn markers
     * ({@code <|im_start|>system}, {@code [INST]}, {@code <<SYS>>}), which some servers read as real turns. Only the
     * leading bracket is escaped, so the model still reads the text.
     */
    static String asData(String text) {
        String t = BLOCK_TAG.matcher(text).replaceAll("&lt;$1");
        t = CHAT_MARKER.matcher(t).replaceAll(m -> m.group().startsWith("[") ? "&#91;" + Matcher.quoteReplacement(
                m.group().substring(1)) : "&lt;" + Matcher.quoteReplacement(m.group().substring(1)));
        return t;
    }

    private static final Pattern BLOCK_TAG =
            Pattern.compile("(?i)<(\\s*/?\\s*(?:document|question|answer|facts)\\s*>)");
    private static final Pattern CHAT_MARKER = Pattern.compile("(?i)<\\||\\[\\s*/?\\s*INST\\s*]|<<\\s*/?\\s*SYS\\s*>>");

    private static String readIfAny(String name, String overrides) {
        boolean overridden = overrides != null && !overrides.isBlank() && Files.isRegularFile(Path.of(overrides).resolve(name));
        if (!overridden && PromptTemplate.class.getResource("/prompts/" + name) == null) {
            return null;
        }
        return read(name, overrides);
    }

    public String userMessage(Chunk chunk, int pairs) {
        return userMessage(chunk, Map.of("pairs", String.valueOf(pairs)));
    }

    /**
     * The user message for a chunk, with {@code {{feature}}}, {@code {{section}}}, {@code {{document}}} and the
     * given values filled in, in one pass: text put in is never read again for placeholders. Every value goes in
     * {@linkplain #asData as data}: it cannot close its block early ({@code </document>}) nor open a turn.
     */
    public String userMessage(Chunk chunk, Map<String, String> values) {
        String feature = chunk.getDocument() == null || chunk.getDocument().getFeatureName() == null
                ? "" : chunk.getDocument().getFeatureName();
        List<String> path = chunk.getSectionPath() == null ? List.of() : chunk.getSectionPath();
        Map<String, String> all = new HashMap<>(values);
        all.put("feature", feature.isBlank() ? "(not named)" : feature);
        all.put("section", path.isEmpty() ? "(none)" : String.join(" > ", path));
        all.put("document", chunk.getText().strip());
        return PLACEHOLDER.matcher(user).replaceAll(m -> {
            String value = all.get(m.group(1));
            if (value == null) {
                return Matcher.quoteReplacement(m.group());
            }
            // Text that itself closes the delimiter must not end its section early, nor open a turn of its own.
            return Matcher.quoteReplacement(asData(value));
        });
    }

    private static String read(String name, String overrides) {
        if (overrides != null && !overrides.isBlank()) {
            Path file = Path.of(overrides).resolve(name);
            if (Files.isRegularFile(file)) {
                try {
                    return Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read prompt " + file + ": " + e.getMessage(), e);
                }
            }
        }
        try (InputStream in = PromptTemplate.class.getResourceAsStream("/prompts/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no prompt file " + name + " (built in or in generation.prompts-dir '"
                        + (overrides == null ? "" : overrides) + "')");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
