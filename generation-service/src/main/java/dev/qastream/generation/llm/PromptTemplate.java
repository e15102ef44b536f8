package dev.qastream.generation.llm;

import dev.qastream.schemas.Chunk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A prompt template: a fixed system prompt and a user message with placeholders, read from
 * {@code prompts/<id>.system.txt} and {@code prompts/<id>.user.txt} on the classpath, each replaceable by a
 * file of the same name in a user folder ({@code generation.prompts-dir}). The chunk text goes only into
 * the user message, between {@code <document>} delimiters.
 */
public record PromptTemplate(String id, String system, String user, String version) {
    public static final String DEFAULT_ID = "qa";
    private static final String DOCUMENT = "{{document}}";

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
        return new PromptTemplate(id, system, user, id + "-" + shortHash(system + "\u0000" + user));
    }

    public String userMessage(Chunk chunk, int pairs) {
        String feature = chunk.getDocument() == null || chunk.getDocument().getFeatureName() == null
                ? "" : chunk.getDocument().getFeatureName();
        List<String> path = chunk.getSectionPath() == null ? List.of() : chunk.getSectionPath();
        // A chunk that itself closes the delimiter must not end the document early.
        String text = chunk.getText().replace("</document>", "</ document>");
        return user.replace("{{pairs}}", String.valueOf(pairs))
                .replace("{{feature}}", feature.isBlank() ? "(not named)" : feature)
                .replace("{{section}}", path.isEmpty() ? "(none)" : String.join(" > ", path))
                .replace(DOCUMENT, text.strip());
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
