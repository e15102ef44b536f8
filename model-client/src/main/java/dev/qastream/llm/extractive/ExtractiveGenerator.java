package dev.qastream.llm.extractive;

import dev.qastream.llm.GeneratedPair;
import dev.qastream.llm.Generation;
import dev.qastream.llm.GenerationException;
import dev.qastream.llm.PairGenerator;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.FocusFact;
import dev.qastream.schemas.Parameter;
import dev.qastream.schemas.QaPair;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The built-in generation tier for machines without a model server: deterministic pairs taken from a
 * chunk's parsed parameters, its counters and its overview prose. Every answer is a full sentence that
 * names its subject, so a pair stands on its own in a dataset.
 *
 * <p>"What does the F feature do?" is asked only of a Description/Overview section, or of a chunk with
 * no parameters or counters that sits before any subsection and talks about the feature: prose from
 * other sections (Dependencies, Engineering Guidelines, tutorial steps) would answer it wrongly.
 *
 * <p>Slots follow a fixed order of question kinds, so that under the cap the most useful kinds survive:
 * feature overview, parameter defaults, parameter descriptions, valid values, counters, MO classes
 * (each in chunk order). The same chunk always yields the same pairs in the same slots. When those do not all fit
 * the cap, the value facts (defaults, valid values with units, MO classes, counters) go first, packed several to a
 * pair when they must ({@link ValueFacts}): the first pass states every value fact it can phrase. Given a focus
 * (a coverage follow-up), it answers the named facts, one pair each.
 */
public final class ExtractiveGenerator implements PairGenerator {
    public static final String BACKEND = "extractive";
    public static final String MODEL = "extractive-v1";
    public static final int DEFAULT_MAX_PAIRS = 8;

    private static final Set<String> GENERIC_TITLES = Set.of("introduction", "overview", "description", "summary",
            "general", "readme", "index", "contents", "table of contents", "scope", "abstract");
    private static final Pattern FEATURE_WORD = Pattern.compile("\\b(this|the) (feature|function)\\b");
    private static final Set<String> STOP_WORDS = Set.of("the", "and", "for", "with", "from", "into", "over", "basic", "feature");
    // Markdown heading residue and section numbering seen in titles ("2.1. Foo ##").
    private static final Pattern TITLE_NOISE = Pattern.compile("^\\d+(?:\\.\\d+)*\\.?\\s+|\\s+#+\\s*$");

    private final int maxPairs;
    private final String promptVersion;

    public ExtractiveGenerator() {
        this(DEFAULT_MAX_PAIRS);
    }

    public ExtractiveGenerator(int maxPairs) {
        if (maxPairs < 1) {
            throw new IllegalArgumentException("max pairs per chunk must be at least 1, was " + maxPairs);
        }
        this.maxPairs = maxPairs;
        this.promptVersion = Templates.version(maxPairs);
    }

    @Override
    public Generation generate(Chunk chunk, String tier) throws GenerationException {
        return generate(chunk, tier, List.of());
    }

    /** A follow-up: one pair for each named fact the chunk's parameters, counters or overview can state. */
    @Override
    public Generation generate(Chunk chunk, String tier, List<FocusFact> focus) throws GenerationException {
        List<GeneratedPair> out = new ArrayList<>();
        for (QaPair p : pairs(chunk, tier, 0L, focus)) {
            out.add(new GeneratedPair(p.getQuestion(), p.getAnswer(), questionType(p.getQuestion())));
        }
        return Generation.of(out);
    }

    /** Value, default and MO class questions ask for a parameter's setting; the others for a fact. */
    static String questionType(String question) {
        return question.startsWith(Templates.Q_DEFAULT.substring(0, Templates.Q_DEFAULT.indexOf("%s")))
                || question.startsWith(Templates.Q_VALID.substring(0, Templates.Q_VALID.indexOf("%s")))
                || question.startsWith(Templates.Q_PROFILE.substring(0, Templates.Q_PROFILE.indexOf("%s")))
                || question.startsWith(Templates.Q_MO_CLASS.substring(0, Templates.Q_MO_CLASS.indexOf("%s")))
                ? "parameter" : "factual";
    }

    /** The pairs of the first pass with their slots, as QaPair records. */
    public List<QaPair> pairs(Chunk chunk, String tier, long nowMs) throws GenerationException {
        return pairs(chunk, tier, nowMs, List.of());
    }

    /** The pairs with their slots (counted from 0 in the request's own round), as QaPair records. */
    public List<QaPair> pairs(Chunk chunk, String tier, long nowMs, List<FocusFact> focus) throws GenerationException {
        if (chunk == null || chunk.getText() == null || chunk.getChunkId() == null || tier == null) {
            throw new GenerationException("request without chunk id, chunk text or tier", false);
        }
        List<Map.Entry<String, String>> chosen = focus == null || focus.isEmpty()
                ? ValueFacts.of(chunk, this).firstPass(maxPairs) : ValueFacts.of(chunk, this).focused(focus);
        List<QaPair> out = new ArrayList<>();
        for (Map.Entry<String, String> e : chosen) {
            int slot = out.size();
            out.add(QaPair.newBuilder()
                    .setPairKey(chunk.getChunkId() + "#" + slot)
                    .setChunkId(chunk.getChunkId())
                    .setDocumentId(chunk.getDocumentId())
                    .setSlot(slot)
                    .setQuestion(e.getKey())
                    .setAnswer(e.getValue())
                    .setTier(tier)
                    .setBackend(BACKEND)
                    .setModel(MODEL)
                    .setPromptVersion(promptVersion)
                    .setChunkChecksum(chunk.getChecksum())
                    .setGeneratedAtMs(nowMs)
                    .build());
        }
        return out;
    }

    /** A short lowercase word: a name that only its document makes specific. */
    private static final Pattern GENERIC_NAME = Pattern.compile("[a-z]{1,7}");
    /** "About 5GS NAS" names the feature "5GS NAS" inside a sentence. */
    private static final Pattern FEATURE_LEAD = Pattern.compile("(?i)^(about|overview of|introduction to)\\s+");

    static void overview(Chunk chunk, Map<String, String> pairs) {
        String feature = featureName(chunk);
        // "What does the Introduction feature do?": the document title was a section name, not a feature.
        if (feature.isEmpty() || GENERIC_TITLES.contains(feature.toLowerCase(Locale.ROOT))) {
            return;
        }
        List<String> path = chunk.getSectionPath() == null ? List.of() : chunk.getSectionPath();
        boolean overviewSection = path.stream().anyMatch(s -> ChunkText.OVERVIEW.matcher(s).find())
                || ChunkText.hasOverviewHeading(chunk.getText());
        // Prose before any subsection (no path, or only the document's own title) is the document's introduction.
        boolean proseOnly = (chunk.getParameters() == null || chunk.getParameters().isEmpty())
                && (chunk.getCounters() == null || chunk.getCounters().isEmpty())
                && path.stream().allMatch(s -> isDocumentTitle(s, chunk, feature));
        if (!overviewSection && !proseOnly) {
            return;
        }
        String prose = ChunkText.overview(chunk.getText());
        // Introductory prose outside a Description/Overview section must be about the feature to answer for it.
        if (overviewSection || aboutFeature(prose, feature)) {
            put(pairs, overviewQuestion(feature), prose);
        }
    }

    /** Words that make a title a document's ("E-UTRAN User Guide"), not a feature's. */
    private static final Set<String> DOCUMENT_WORDS = Set.of("guide", "tutorial", "manual", "handbook", "documentation",
            "readme", "howto", "notes", "table", "specification", "overview", "introduction", "description");

    /**
     * What the overview answers, by what the title names: "What does the 5GS NAS feature do?" ("About 5GS NAS"),
     * "What is the E-UTRAN User Guide about?", "What does configuring the logging facility involve?".
     */
    static String overviewQuestion(String title) {
        String name = FEATURE_LEAD.matcher(title).replaceFirst("").strip();
        String[] words = name.split("\\s+");
        // A gerund before an article or "up" ("Configuring the ...", "Setting up ..."); not "Timing advance".
        boolean task = words.length > 2 && words[0].length() > 4 && words[0].endsWith("ing")
                && (Phrasing.DETERMINERS.contains(words[1].toLowerCase(Locale.ROOT)) || words[1].equalsIgnoreCase("up"));
        if (task) {
            return Templates.Q_TASK.formatted(Character.toLowerCase(name.charAt(0)) + name.substring(1));
        }
        boolean document = Arrays.stream(name.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")).anyMatch(DOCUMENT_WORDS::contains);
        return (document ? Templates.Q_DOCUMENT : Templates.Q_FEATURE).formatted(name);
    }

    private static boolean isDocumentTitle(String section, Chunk chunk, String feature) {
        String s = TITLE_NOISE.matcher(Prose.value(section)).replaceAll("").strip();
        return s.equalsIgnoreCase(feature) || s.equalsIgnoreCase(Prose.value(chunk.getDocument().getTitle()));
    }

    /** Says "feature", or names at least half of the feature name's significant words. */
    private static boolean aboutFeature(String prose, String feature) {
        String p = prose.toLowerCase(Locale.ROOT);
        if (FEATURE_WORD.matcher(p).find()) {
            return true;
        }
        List<String> words = Arrays.stream(feature.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> w.length() >= 3 && !STOP_WORDS.contains(w)).toList();
        long named = words.stream().filter(w -> Pattern.compile("\\b" + Pattern.quote(w) + "\\b").matcher(p).find()).count();
        return !words.isEmpty() && named * 2 >= words.size();
    }

    static void defaultValue(Parameter p, Chunk chunk, Map<String, String> pairs) {
        String name = subject(p, chunk);
        String value = Phrasing.defaultWithMeaning(p.getDefaultValue(), p.getValidValues(), p.getUnit());
        if (!name.isEmpty() && !value.isEmpty()) {
            put(pairs, Templates.Q_DEFAULT.formatted(name), Templates.A_DEFAULT.formatted(name, value));
        }
    }

    static void control(Parameter p, Chunk chunk, Map<String, String> pairs) {
        String name = subject(p, chunk);
        if (!name.isEmpty()) {
            put(pairs, Templates.Q_CONTROL.formatted(name), Phrasing.describe(name, p.getDescription(), false));
        }
    }

    static void validValues(Parameter p, Chunk chunk, Map<String, String> pairs) {
        String name = subject(p, chunk);
        String values = Phrasing.field(p.getValidValues());
        String unit = Phrasing.field(p.getUnit());
        if (name.isEmpty() || values.isEmpty()) {
            return;
        }
        String answer = unit.isEmpty() || values.contains(unit)
                ? Templates.A_VALID.formatted(name, values)
                : Templates.A_VALID_UNIT.formatted(name, values, unit);
        put(pairs, Templates.Q_VALID.formatted(name), answer);
    }

    static void counter(String text, String counter, Map<String, String> pairs) {
        String name = Prose.value(counter);
        if (!name.isEmpty()) {
            ChunkText.counterAnswer(text, name).ifPresent(a -> put(pairs, Templates.Q_COUNTER.formatted(name), a));
        }
    }

    static void moClass(Parameter p, Map<String, String> pairs) {
        String mo = Prose.value(p.getMoClass());
        String bare = bareName(p);
        if (!mo.isEmpty() && !bare.isEmpty()) {
            // The bare name in the question keeps the MO class out of it; otherwise the question gives the answer away.
            put(pairs, Templates.Q_MO_CLASS.formatted(bare), Templates.A_MO_CLASS.formatted(bare, mo));
        }
    }

    static void put(Map<String, String> pairs, String question, String answer) {
        if (answer != null && !answer.isBlank()) {
            pairs.putIfAbsent(question, answer.strip());
        }
    }

    /**
     * How a question names the parameter: qualified by its MO class; a bare common word ("key", "imsi", "mode") with
     * no MO class also by the feature, since "What is the default value of key?" means nothing out of its document.
     */
    static String subject(Parameter p, Chunk chunk) {
        String name = qualifiedName(p);
        String feature = FEATURE_LEAD.matcher(featureName(chunk)).replaceFirst("");
        boolean bareWord = GENERIC_NAME.matcher(name).matches() && Prose.value(p.getMoClass()).isEmpty();
        return bareWord && !feature.isEmpty() && !GENERIC_TITLES.contains(feature.toLowerCase(Locale.ROOT))
                ? Templates.NAME_IN_FEATURE.formatted(name, feature) : name;
    }

    /** "MoClass.name"; the name alone when no MO class is known or the name is already qualified. */
    static String qualifiedName(Parameter p) {
        String name = Prose.value(p.getName());
        String mo = Prose.value(p.getMoClass());
        return mo.isEmpty() || name.isEmpty() || name.startsWith(mo + ".") ? name : mo + "." + name;
    }

    static String bareName(Parameter p) {
        String name = Prose.value(p.getName());
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static String featureName(Chunk chunk) {
        if (chunk.getDocument() == null) {
            return "";
        }
        String name = Prose.value(chunk.getDocument().getFeatureName());
        if (name.isEmpty()) {
            name = Prose.value(chunk.getDocument().getTitle());
        }
        name = TITLE_NOISE.matcher(name).replaceAll("").strip();
        // "What does the Foo feature feature do?" reads badly.
        return name.toLowerCase(Locale.ROOT).endsWith(" feature") ? name.substring(0, name.length() - 8).strip() : name;
    }

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public String promptVersion() {
        return promptVersion;
    }

    public int maxPairs() {
        return maxPairs;
    }
}
