package dev.qastream.scoring;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text that addresses the model rather than the reader: prompt injection carried in a document, or a model
 * talking about itself. Such a pair teaches the wrong thing whatever its other scores, so it is rejected.
 */
final class InstructionCheck {
    private static final List<Pattern> PATTERNS = List.of(
            Pattern.compile("\\b(?:ignore|disregard|forget|override)\\s+(?:all\\s+|any\\s+)?(?:the\\s+|your\\s+)?"
                    + "(?:previous|prior|above|earlier|preceding|system)\\s+(?:instructions?|prompts?|rules|messages?)"),
            Pattern.compile("\\bsystem\\s+prompt\\b"),
            Pattern.compile("\\bas\\s+an?\\s+(?:ai|a\\.i\\.|large\\s+language\\s+model|language\\s+model)\\b"),
            Pattern.compile("\\bi\\s*(?:am|'m)\\s+(?:an?\\s+)?(?:ai|language\\s+model|assistant|chatbot)\\b"),
            Pattern.compile("\\byou\\s+are\\s+(?:now\\s+)?(?:an?\\s+)?(?:ai|chatgpt|helpful\\s+assistant|language\\s+model|dan)\\b"),
            Pattern.compile("\\b(?:reveal|print|output|repeat|show)\\s+(?:me\\s+)?(?:the\\s+|your\\s+)(?:hidden\\s+|initial\\s+)?"
                    + "(?:prompt|instructions)\\b"),
            Pattern.compile("\\b(?:jailbreak|developer\\s+mode)\\b"),
            Pattern.compile("\\bnew\\s+instructions?\\s*:"),
            Pattern.compile("\\bi\\s+(?:cannot|can't|can\\s+not)\\s+(?:help|assist|answer|comply)\\b"),
            // The prompt's own delimiters and chat templates' turn markers: a pair that echoes them carries a
            // document's attempt to end its block or open a turn, never something a reader should learn.
            Pattern.compile("<\\s*/?\\s*document\\s*>"),
            Pattern.compile("<\\|[a-z_]+\\|>"),
            Pattern.compile("\\[/?inst]|<</?sys>>"),
            // A fake turn label where a line or a sentence starts ("System: ...").
            Pattern.compile("(?m)(?:^|(?<=[.!?]\\s))(?:system|assistant)\\s*:"));

    private InstructionCheck() {
    }

    /** The offending phrase, if the text addresses the model. */
    static Optional<String> find(String text) {
        String t = text.toLowerCase(java.util.Locale.ROOT);
        for (Pattern p : PATTERNS) {
            Matcher m = p.matcher(t);
            if (m.find()) {
                return Optional.of(text.substring(m.start(), m.end()));
            }
        }
        return Optional.empty();
    }
}
