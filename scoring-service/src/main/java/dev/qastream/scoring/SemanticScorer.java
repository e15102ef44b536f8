package dev.qastream.scoring;

import dev.qastream.schemas.QaPair;

import java.util.ArrayList;
import java.util.List;

/**
 * Embedding scores of a pair: coherence (question to answer) and relevance (pair to its chunk, and to the
 * corpus domain, so that a licence paragraph is not relevant even in a chunk made of licence text: the domain
 * is a set of reference sentences, and an answer closer to one of the off-domain references than to any domain
 * one has no domain relevance).
 * Raw cosines of the small model sit in a narrow band (unrelated texts around 0.1, close ones above 0.5),
 * so each is mapped linearly from that band onto [0, 1].
 */
public final class SemanticScorer {
    static final double COHERENCE_LOW = 0.15;
    static final double COHERENCE_HIGH = 0.55;
    static final double CHUNK_LOW = 0.15;
    static final double CHUNK_HIGH = 0.50;
    static final double DOMAIN_LOW = 0.15;
    static final double DOMAIN_HIGH = 0.35;
    static final int CHUNK_CHARS = 1000;

    private final Embedder embedder;
    private final List<String> domain;
    private final List<String> offDomain;
    private volatile List<float[]> domainVectors;
    private volatile List<float[]> offDomainVectors;

    public SemanticScorer(Embedder embedder, List<String> domain) {
        this.embedder = embedder;
        this.domain = domain.stream().filter(l -> !l.startsWith("-")).toList();
        this.offDomain = domain.stream().filter(l -> l.startsWith("-")).map(l -> l.substring(1).strip()).toList();
    }

    public Embedder embedder() {
        return embedder;
    }

    /**
     * The part of a chunk that is embedded: its head, about 256 word pieces, the length the model was trained
     * on (sentence-transformers truncates there too). A full 512-token chunk costs many short texts.
     */
    public static String chunkHead(String text) {
        if (text == null || text.length() <= CHUNK_CHARS) {
            return text == null ? "" : text;
        }
        int cut = text.lastIndexOf(' ', CHUNK_CHARS);
        return text.substring(0, cut > CHUNK_CHARS / 2 ? cut : CHUNK_CHARS);
    }

    /** Embeds chunks (their heads), many at a time. */
    public List<float[]> chunkVectors(List<String> texts) {
        return embedder.embed(texts.stream().map(SemanticScorer::chunkHead).toList());
    }

    /**
     * The questions and answers of many pairs (in one call, so the model runs on every core), and chunks (their heads) that have no vector yet, embedded in one call:
     * a chunk alone would run on one thread while the others wait.
     */
    public Embedded embed(List<QaPair> pairs, List<String> chunkTexts) {
        List<String> texts = new ArrayList<>(pairs.size() * 2 + chunkTexts.size());
        for (QaPair p : pairs) {
            texts.add(p.getQuestion());
            texts.add(p.getAnswer());
        }
        chunkTexts.forEach(t -> texts.add(chunkHead(t)));
        List<float[]> v = texts.isEmpty() ? List.of() : embedder.embed(texts);
        List<PairVectors> out = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            out.add(new PairVectors(v.get(2 * i), v.get(2 * i + 1)));
        }
        return new Embedded(out, v.subList(2 * pairs.size(), v.size()));
    }

    /** Vectors of pairs and of chunks, in the order asked. */
    public record Embedded(List<PairVectors> pairs, List<float[]> chunks) {
    }

    public record PairVectors(float[] question, float[] answer) {
        public float[] pair() {
            return Vectors.mean(question, answer);
        }

        /** Question and answer vectors one after the other, as deduplication compares them. */
        public float[] both() {
            float[] out = java.util.Arrays.copyOf(question, question.length + answer.length);
            System.arraycopy(answer, 0, out, question.length, answer.length);
            return out;
        }
    }

    public record Semantic(double coherence, double relevance, double chunkRelevance, double domainRelevance,
                           List<String> reasons) {
    }

    public Semantic score(PairVectors v, float[] chunk) {
        float[] pair = v.pair();
        double coherence = ramp(Vectors.cosine(v.question(), v.answer()), COHERENCE_LOW, COHERENCE_HIGH);
        // The answer carries the facts; the pair (with its question) keeps a short correct answer relevant.
        double toChunk = ramp((Vectors.cosine(v.answer(), chunk) + Vectors.cosine(pair, chunk)) / 2, CHUNK_LOW, CHUNK_HIGH);
        double best = best(v.answer(), domainVectors());
        double worst = best(v.answer(), offDomainVectors());
        double toDomain = worst > best ? 0 : ramp(best, DOMAIN_LOW, DOMAIN_HIGH);
        double relevance = Math.min(toChunk, toDomain);
        List<String> reasons = new ArrayList<>();
        if (coherence < 0.5) {
            reasons.add(String.format("answer does not address the question (coherence %.2f)", coherence));
        }
        if (toChunk < 0.5) {
            reasons.add(String.format("answer is not about its chunk (relevance %.2f)", toChunk));
        }
        if (toDomain < 0.5) {
            reasons.add(String.format("pair is off the corpus domain (domain relevance %.2f)", toDomain));
        }
        return new Semantic(round(coherence), round(relevance), toChunk, toDomain, reasons);
    }

    private static double best(float[] v, List<float[]> references) {
        double best = -1;
        for (float[] r : references) {
            best = Math.max(best, Vectors.cosine(v, r));
        }
        return best;
    }

    private List<float[]> domainVectors() {
        List<float[]> d = domainVectors;
        if (d == null) {
            d = domain.isEmpty() ? List.of() : embedder.embed(domain);
            domainVectors = d;
        }
        return d;
    }

    private List<float[]> offDomainVectors() {
        List<float[]> d = offDomainVectors;
        if (d == null) {
            d = offDomain.isEmpty() ? List.of() : embedder.embed(offDomain);
            offDomainVectors = d;
        }
        return d;
    }

    static double ramp(double x, double low, double high) {
        return Math.max(0, Math.min(1, (x - low) / (high - low)));
    }

    private static double round(double d) {
        return Math.round(d * 10_000) / 10_000.0;
    }
}
