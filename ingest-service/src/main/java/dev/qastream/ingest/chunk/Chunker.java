package dev.qastream.ingest.chunk;

import dev.qastream.ingest.meta.Complexity;
import dev.qastream.ingest.meta.CounterExtractor;
import dev.qastream.ingest.meta.ParameterExtractor;
import dev.qastream.ingest.meta.Quality;
import dev.qastream.ingest.meta.TechnicalTerms;
import dev.qastream.ingest.meta.TokenEstimator;
import dev.qastream.ingest.parse.Block;
import dev.qastream.ingest.parse.ParsedDocument;
import dev.qastream.ingest.parse.Section;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.Parameter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * Cuts a parsed document into chunks along its section hierarchy.
 *
 * <ul>
 *   <li>Chunks never span sections; each carries its section path and the document's info.</li>
 *   <li>Chunk text = the section path line ({@code Parameters > Cell level}) and the blocks' texts,
 *       separated by blank lines. Its token estimate ({@link TokenEstimator}: chars / 4) is at most
 *       {@code maxTokens}, except for a chunk that is a single parameter entry or table row larger
 *       than that: those are never split, and an oversize one becomes a chunk of its own.</li>
 *   <li>Paragraphs and list items larger than a chunk are cut at sentence or line ends (else at white
 *       space, else anywhere), so their pieces concatenate back to the original text.</li>
 *   <li>Consecutive chunks of the same section overlap by up to {@code overlapTokens}: the next chunk
 *       starts with the last whole blocks of the previous one that fit, or with the tail of its last
 *       paragraph cut at a sentence or word start. Parameter entries and table rows are repeated only
 *       whole.</li>
 *   <li>Ordinals run 0..n-1 over the document; chunk id = document id + "#" + ordinal.</li>
 * </ul>
 */
public final class Chunker {

    private static final String SEPARATOR = "\n\n";
    private static final String PATH_SEPARATOR = " > ";

    private final int maxChars;
    private final int overlapChars;

    public Chunker(int maxTokens, int overlapTokens) {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be positive: " + maxTokens);
        }
        if (overlapTokens < 0 || overlapTokens >= maxTokens) {
            throw new IllegalArgumentException("overlapTokens must be in [0, maxTokens): " + overlapTokens);
        }
        this.maxChars = TokenEstimator.maxChars(maxTokens);
        this.overlapChars = TokenEstimator.maxChars(overlapTokens);
    }

    public List<Chunk> chunk(ParsedDocument doc) {
        List<Planned> plan = plan(doc);
        List<Chunk> chunks = new ArrayList<>(plan.size());
        for (int ordinal = 0; ordinal < plan.size(); ordinal++) {
            chunks.add(toChunk(doc, plan.get(ordinal), ordinal));
        }
        return chunks;
    }

    /** A piece of a block's text in a chunk; {@code overlap} pieces repeat text of the previous chunk. */
    record Piece(int block, String text, boolean overlap, boolean splittable) {
        Piece asOverlap() {
            return new Piece(block, text, true, splittable);
        }
    }

    /** One chunk before metadata: its section, path line and pieces. */
    record Planned(int section, List<String> path, String heading, List<Piece> pieces) {
        String text() {
            StringBuilder sb = new StringBuilder(heading);
            for (Piece p : pieces) {
                String t = p.text().strip();
                if (t.isEmpty()) {
                    continue;
                }
                if (!sb.isEmpty()) {
                    sb.append(SEPARATOR);
                }
                sb.append(t);
            }
            return sb.toString();
        }
    }

    List<Planned> plan(ParsedDocument doc) {
        List<Planned> out = new ArrayList<>();
        List<Section> sections = doc.sections();
        for (int s = 0; s < sections.size(); s++) {
            planSection(s, sections.get(s), out);
        }
        return out;
    }

    private void planSection(int sectionIndex, Section section, List<Planned> out) {
        String heading = headingLine(section.path());
        int budget = Math.max(1, maxChars - (heading.isEmpty() ? 0 : heading.length() + SEPARATOR.length()));

        List<Piece> units = new ArrayList<>();
        List<Block> blocks = section.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            String t = b.text();
            if (t.length() > budget && b.splittable()) {
                for (String piece : split(t, budget)) {
                    units.add(new Piece(i, piece, false, true));
                }
            } else {
                units.add(new Piece(i, t, false, b.splittable()));
            }
        }

        List<Piece> current = new ArrayList<>();
        int length = 0;
        boolean hasNew = false;
        for (Piece u : units) {
            int len = u.text().length();
            if (len > budget) { // an oversize parameter entry or table row: a chunk of its own
                if (hasNew) {
                    out.add(new Planned(sectionIndex, section.path(), heading, List.copyOf(current)));
                }
                out.add(new Planned(sectionIndex, section.path(), heading, List.of(u)));
                current = new ArrayList<>();
                length = 0;
                hasNew = false;
                continue;
            }
            if (hasNew && length + SEPARATOR.length() + len > budget) {
                out.add(new Planned(sectionIndex, section.path(), heading, List.copyOf(current)));
                current = overlapTail(current, Math.min(overlapChars, budget - len - SEPARATOR.length()));
                length = joinedLength(current);
                hasNew = false;
            }
            length += (current.isEmpty() ? 0 : SEPARATOR.length()) + len;
            current.add(u);
            hasNew = true;
        }
        if (hasNew) {
            out.add(new Planned(sectionIndex, section.path(), heading, List.copyOf(current)));
        }
    }

    /** The last pieces of a chunk that fit in {@code limit} chars, marked as overlap. */
    private static List<Piece> overlapTail(List<Piece> previous, int limit) {
        List<Piece> tail = new ArrayList<>();
        int used = 0;
        for (int j = previous.size() - 1; j >= 0 && limit > 0; j--) {
            Piece p = previous.get(j);
            int sep = tail.isEmpty() ? 0 : SEPARATOR.length();
            if (used + sep + p.text().length() <= limit) {
                tail.add(0, p.asOverlap());
                used += sep + p.text().length();
                continue;
            }
            if (p.splittable()) {
                String suffix = suffixWithin(p.text(), limit - used - sep);
                if (suffix != null) {
                    tail.add(0, new Piece(p.block(), suffix, true, true));
                }
            }
            break;
        }
        return tail;
    }

    private static int joinedLength(List<Piece> pieces) {
        int len = 0;
        for (int i = 0; i < pieces.size(); i++) {
            len += (i == 0 ? 0 : SEPARATOR.length()) + pieces.get(i).text().length();
        }
        return len;
    }

    /** The longest suffix of at most {@code max} chars that starts at a sentence start, else at a word start. */
    static String suffixWithin(String text, int max) {
        if (max <= 0) {
            return null;
        }
        int from = text.length() - max;
        int wordStart = -1;
        for (int k = Math.max(from, 1); k < text.length(); k++) {
            char prev = text.charAt(k - 1);
            if (Character.isWhitespace(text.charAt(k))) {
                continue;
            }
            if (Character.isWhitespace(prev)) {
                if (prev == '\n' || (k >= 2 && isSentenceEnd(text.charAt(k - 2)))) {
                    return text.substring(k);
                }
                if (wordStart < 0) {
                    wordStart = k;
                }
            }
        }
        return wordStart < 0 ? null : text.substring(wordStart);
    }

    /**
     * Cuts a text into pieces of at most {@code max} chars that concatenate to the text: at the last
     * line or sentence end in the second half of the window, else the last white space in its last
     * three quarters, else exactly at the limit (never inside a surrogate pair).
     */
    static List<String> split(String text, int max) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        int n = text.length();
        while (n - start > max) {
            int end = start + max;
            int cut = -1;
            for (int c = end; c > start + max / 2; c--) {
                char before = text.charAt(c - 1);
                if (before == '\n' || (Character.isWhitespace(before) && c >= 2 && isSentenceEnd(text.charAt(c - 2)))) {
                    cut = c;
                    break;
                }
            }
            if (cut < 0) {
                for (int c = end; c > start + max / 4; c--) {
                    if (Character.isWhitespace(text.charAt(c - 1))) {
                        cut = c;
                        break;
                    }
                }
            }
            if (cut < 0) {
                cut = end;
                if (Character.isHighSurrogate(text.charAt(cut - 1)) && cut - 1 > start) {
                    cut--;
                }
            }
            pieces.add(text.substring(start, cut));
            start = cut;
        }
        pieces.add(text.substring(start));
        return pieces;
    }

    private static boolean isSentenceEnd(char c) {
        return c == '.' || c == '!' || c == '?' || c == ':' || c == ';';
    }

    private String headingLine(List<String> path) {
        if (path.isEmpty()) {
            return "";
        }
        String line = String.join(PATH_SEPARATOR, path).replace('\n', ' ');
        int cap = Math.max(1, maxChars / 4);
        return line.length() <= cap ? line : line.substring(0, cap - 1) + "\u2026";
    }

    private static Chunk toChunk(ParsedDocument doc, Planned planned, int ordinal) {
        String text = planned.text();
        Section section = doc.sections().get(planned.section());
        List<Parameter> parameters = new ArrayList<>();
        TreeSet<Integer> pages = new TreeSet<>();
        int lastBlock = -1;
        for (Piece p : planned.pieces()) {
            if (p.block() == lastBlock) {
                continue;
            }
            lastBlock = p.block();
            Block b = section.blocks().get(p.block());
            if (b.page() != null) {
                pages.add(b.page());
            }
            if (b instanceof Block.ParameterEntry e) {
                parameters.add(Parameter.newBuilder(e.parameter()).build());
            }
        }
        List<String> counters = CounterExtractor.extract(text);
        TechnicalTerms.Result terms = TechnicalTerms.classify(text, ParameterExtractor.qualifiedNames(parameters));
        int tokens = TokenEstimator.estimate(text);
        int parameterSignal = Math.max(parameters.size(), terms.tiers().getTier1ExactParams().size());
        double complexity = Complexity.score(terms.density(), parameterSignal, counters.size(),
                Complexity.averageSentenceWords(text), tokens);
        DocumentInfo info = DocumentInfo.newBuilder(doc.info()).build();
        return Chunk.newBuilder()
                .setChunkId(doc.documentId() + "#" + ordinal)
                .setDocumentId(doc.documentId())
                .setOrdinal(ordinal)
                .setSectionPath(planned.path())
                .setText(text)
                .setChecksum(sha256(text))
                .setTokenEstimate(tokens)
                .setComplexity(complexity)
                .setDocument(info)
                .setParameters(parameters)
                .setCounters(counters)
                .setTerms(terms.tiers())
                .setQuality(Quality.measure(info, planned.path(), parameters, counters.size(), terms.density()))
                .setPages(List.copyOf(pages))
                .build();
    }

    static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
