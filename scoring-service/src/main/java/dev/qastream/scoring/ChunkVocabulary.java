package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.Parameter;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The names a chunk makes legitimate to mention: its parsed parameters and counters, its terms and its text. */
final class ChunkVocabulary {
    private final Set<String> names = new HashSet<>();
    private final Set<String> phrases = new HashSet<>();
    private final String text;

    ChunkVocabulary(Chunk chunk) {
        this.text = chunk.getText() == null ? "" : chunk.getText();
        for (Parameter p : orEmpty(chunk.getParameters())) {
            String name = p.getName() == null ? "" : p.getName().strip();
            String mo = p.getMoClass() == null ? "" : p.getMoClass().strip();
            names.add(name);
            names.add(name.substring(name.lastIndexOf('.') + 1));
            if (!mo.isEmpty()) {
                names.add(mo);
                names.add(mo + "." + name);
            }
        }
        names.addAll(orEmpty(chunk.getCounters()));
        if (chunk.getTerms() != null) {
            names.addAll(orEmpty(chunk.getTerms().getTier1ExactParams()));
            phrases.addAll(orEmpty(chunk.getTerms().getTier2ConfigTerms()));
            phrases.addAll(orEmpty(chunk.getTerms().getTier3NetworkElements()));
            phrases.addAll(orEmpty(chunk.getTerms().getTier4RareTerms()));
        }
        if (chunk.getDocument() != null) {
            addPhrase(chunk.getDocument().getFeatureName());
            addPhrase(chunk.getDocument().getTitle());
        }
        names.removeIf(String::isBlank);
        phrases.addAll(names);
        phrases.removeIf(String::isBlank);
    }

    /** A parameter or counter name the chunk parsed, lists as a term, or contains verbatim as a word. */
    boolean knowsName(String name) {
        return names.contains(name) || phrases.contains(name) || containsWord(text, name, true);
    }

    /** Whether {@code s} names anything of the chunk: a parameter, counter, term, the feature or the title. */
    boolean isNamedIn(String s) {
        // Short terms (UE, MME) only count in their exact case, or "ue" would match inside "value".
        return phrases.stream().anyMatch(p -> containsWord(s, p, p.length() <= 4));
    }

    private void addPhrase(String p) {
        if (p != null) {
            phrases.add(p.strip());
        }
    }

    private static boolean containsWord(String haystack, String word, boolean caseSensitive) {
        return WordPatterns.of(word, caseSensitive).matcher(haystack).find();
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
