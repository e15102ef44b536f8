package dev.qastream.review;

import dev.qastream.runtime.review.PairFingerprint;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DocumentCoverage;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ReviewDecision;
import dev.qastream.schemas.ScoredPair;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The workbench's view of the three topics, in an in-memory H2 database, so the list's filters and paging run
 * as queries and the browser only ever receives one page. Fed from the topics by {@link TopicFeed}; one
 * connection, each call synchronized (the feed writes while requests read).
 */
public final class ReviewStore implements AutoCloseable {
    /** "Borderline": a score within this distance of the accept threshold. */
    public static final double BORDERLINE_BAND = 0.1;
    private static final String SEP = "\n";

    private final Connection db;
    private final Map<String, PreparedStatement> writes = new HashMap<>();
    /** The chunks as read, for scoring an edit against its source (the table holds the text for queries). */
    private final Map<String, Chunk> chunks = new ConcurrentHashMap<>();
    /** The latest coverage per document from coverage.documents: few records, kept as read. */
    private final Map<String, Coverage> coverage = new ConcurrentHashMap<>();
    private final double acceptThreshold;

    public ReviewStore(double acceptThreshold) {
        this.acceptThreshold = acceptThreshold;
        try {
            db = DriverManager.getConnection("jdbc:h2:mem:review-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=0");
            try (Statement s = db.createStatement()) {
                s.execute("""
                        CREATE TABLE pairs (pair_key VARCHAR PRIMARY KEY, chunk_id VARCHAR, document_id VARCHAR,
                          slot INT, question VARCHAR, answer VARCHAR, tier VARCHAR, model VARCHAR, prompt_version VARCHAR,
                          question_type VARCHAR, revision BIGINT, fingerprint VARCHAR, accepted BOOLEAN, overall DOUBLE,
                          structural DOUBLE, coherence DOUBLE, relevance DOUBLE, accuracy DOUBLE, judge DOUBLE,
                          reasons VARCHAR, duplicate_of VARCHAR, flags VARCHAR, search VARCHAR)""");
                // The list's order: a page deep in 100,000 pairs is read along the index, not sorted.
                s.execute("CREATE INDEX pairs_in_order ON pairs (document_id, chunk_id, slot, pair_key)");
                s.execute("CREATE INDEX pairs_by_chunk ON pairs (chunk_id)");
                s.execute("CREATE INDEX pairs_by_score ON pairs (overall)");
                // Every text a pair key has had, so a decision on an older text can be shown against the new one.
                s.execute("""
                        CREATE TABLE pair_texts (pair_key VARCHAR, fingerprint VARCHAR, question VARCHAR, answer VARCHAR,
                          PRIMARY KEY (pair_key, fingerprint))""");
                s.execute("CREATE TABLE chunks (chunk_id VARCHAR PRIMARY KEY, document_id VARCHAR, section VARCHAR, text VARCHAR)");
                s.execute("""
                        CREATE TABLE decisions (pair_key VARCHAR PRIMARY KEY, verdict VARCHAR, revision BIGINT,
                          fingerprint VARCHAR, edited_question VARCHAR, edited_answer VARCHAR, reason VARCHAR,
                          reviewer VARCHAR, decided_at BIGINT, edited_score DOUBLE, edited_reasons VARCHAR, topic_offset BIGINT)""");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the in-memory review store: " + e.getMessage(), e);
        }
    }

    public double acceptThreshold() {
        return acceptThreshold;
    }

    // ---- writes, from the topics ----

    /** A pair from scoring.scored; a removal (or null value) takes it out of the list. */
    public synchronized void putScored(String key, ScoredPair scored) {
        if (scored == null || scored.getPair().getRemoved()) {
            update("DELETE FROM pairs WHERE pair_key = ?", key);
            return;
        }
        QaPair p = scored.getPair();
        String fingerprint = PairFingerprint.of(p.getQuestion(), p.getAnswer());
        update("""
                MERGE INTO pairs KEY (pair_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                key, p.getChunkId(), p.getDocumentId(), p.getSlot(), p.getQuestion(), p.getAnswer(), p.getTier(),
                p.getModel(), p.getPromptVersion(), p.getQuestionType(), p.getRevision(), fingerprint, scored.getAccepted(),
                scored.getOverall(), scored.getStructural(), scored.getCoherence(), scored.getRelevance(),
                scored.getAccuracy(), scored.getJudge(), join(scored.getReasons()), scored.getDuplicateOf(),
                join(scored.getFlags()), (p.getQuestion() + " " + p.getAnswer()).toLowerCase());
        update("MERGE INTO pair_texts KEY (pair_key, fingerprint) VALUES (?, ?, ?, ?)", key, fingerprint,
                p.getQuestion(), p.getAnswer());
    }

    public synchronized void putChunk(String chunkId, Chunk chunk) {
        if (chunk == null) {
            chunks.remove(chunkId);
            update("DELETE FROM chunks WHERE chunk_id = ?", chunkId);
            return;
        }
        chunks.put(chunkId, chunk);
        update("MERGE INTO chunks KEY (chunk_id) VALUES (?, ?, ?, ?)", chunkId, chunk.getDocumentId(),
                String.join(" > ", chunk.getSectionPath()), chunk.getText());
    }

    /** A record of coverage.documents; null (a tombstone) removes the document's coverage. */
    public void putCoverage(String documentId, DocumentCoverage c) {
        if (c == null) {
            coverage.remove(documentId);
        } else {
            coverage.put(documentId, Coverage.of(c));
        }
    }

    /**
     * A record of review.decisions at {@code offset} (null: withdrawn). A record older than the one held is
     * ignored: the workbench applies its own writes at once, and the feed may bring an older one afterwards.
     *
     * @return whether it was applied
     */
    public synchronized boolean putDecision(String pairKey, ReviewDecision d, long offset) {
        Optional<Decision> held = decision(pairKey);
        if (held.isPresent() && held.get().offset() >= offset) {
            return false;
        }
        if (d == null) {
            update("MERGE INTO decisions KEY (pair_key) VALUES (?, NULL, 0, '', NULL, NULL, NULL, '', 0, NULL, '', ?)",
                    pairKey, offset);
        } else {
            update("MERGE INTO decisions KEY (pair_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", pairKey,
                    d.getDecision().name(), d.getRevision(), d.getPairFingerprint(), d.getEditedQuestion(),
                    d.getEditedAnswer(), d.getReason(), d.getReviewer(), d.getDecidedAtMs(), d.getEditedScore(),
                    join(d.getEditedReasons()), offset);
        }
        return true;
    }

    // ---- reads ----

    public synchronized Page page(PairFilter f, int offset, int limit) {
        List<Object> args = new ArrayList<>();
        String where = where(f, args);
        int total;
        try (PreparedStatement st = prepare("SELECT COUNT(*) FROM pairs p LEFT JOIN decisions d ON d.pair_key = p.pair_key"
                + where, args); ResultSet rs = st.executeQuery()) {
            rs.next();
            total = rs.getInt(1);
        } catch (SQLException e) {
            throw failed(e);
        }
        int start = Math.max(0, Math.min(offset, Math.max(0, total - 1) / Math.max(1, limit) * limit));
        args.add(limit);
        args.add(start);
        List<PairRow> rows = rows(SELECT + where + " ORDER BY p.document_id, p.chunk_id, p.slot, p.pair_key LIMIT ? OFFSET ?",
                args.toArray());
        return new Page(rows, total, start, limit);
    }

    /** Every pair key the filter matches, in list order (for bulk actions). */
    public synchronized List<PairRow> all(PairFilter f) {
        List<Object> args = new ArrayList<>();
        return rows(SELECT + where(f, args) + " ORDER BY p.document_id, p.chunk_id, p.slot, p.pair_key", args.toArray());
    }

    public synchronized Optional<PairRow> pair(String pairKey) {
        return rows(SELECT + " WHERE p.pair_key = ?", pairKey).stream().findFirst();
    }

    public synchronized List<PairRow> pairsOfChunk(String chunkId) {
        return rows(SELECT + " WHERE p.chunk_id = ? ORDER BY p.slot, p.pair_key", chunkId);
    }

    /** The chunk's text and section, or empty when the chunk is not (or no longer) on ingest.chunks. */
    public synchronized Optional<String[]> chunk(String chunkId) {
        try (PreparedStatement st = prepare("SELECT text, section FROM chunks WHERE chunk_id = ?", List.of(chunkId));
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2)}) : Optional.empty();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    public Optional<Chunk> chunkRecord(String chunkId) {
        return Optional.ofNullable(chunks.get(chunkId));
    }

    public List<Chunk> chunksOfDocument(String documentId) {
        return chunks.values().stream().filter(c -> c.getDocumentId().equals(documentId)).toList();
    }

    /** The document's latest coverage, or empty when coverage.documents has none for it (yet). */
    public Optional<Coverage> coverage(String documentId) {
        return Optional.ofNullable(coverage.get(documentId));
    }

    /** The coverage of every document the glob matches (blank: all), by document id. */
    public List<Coverage> coverageMatching(String documentGlob) {
        Predicate<String> matches = PairFilter.present(documentGlob)
                ? PairFilter.globMatcher(documentGlob.trim()) : id -> true;
        return coverage.values().stream().filter(c -> matches.test(c.documentId()))
                .sorted(Comparator.comparing(Coverage::documentId)).toList();
    }

    /** A question and answer this pair key had with that fingerprint, if the topic still held it when read. */
    public synchronized Optional<String[]> text(String pairKey, String fingerprint) {
        try (PreparedStatement st = prepare("SELECT question, answer FROM pair_texts WHERE pair_key = ? AND fingerprint = ?",
                List.of(pairKey, fingerprint)); ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2)}) : Optional.empty();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** The decision held for the pair key, a withdrawn one included. */
    public synchronized Optional<Decision> decision(String pairKey) {
        try (PreparedStatement st = prepare("SELECT * FROM decisions WHERE pair_key = ?", List.of(pairKey));
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(decision(rs, "")) : Optional.empty();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** The distinct values of a column (tier, model, prompt_version), for the filter menus. */
    public synchronized List<String> values(String column) {
        if (!List.of("tier", "model", "prompt_version").contains(column)) {
            throw new IllegalArgumentException(column);
        }
        List<String> out = new ArrayList<>();
        try (PreparedStatement st = prepare("SELECT DISTINCT " + column + " FROM pairs ORDER BY 1", List.of());
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    public synchronized int count() {
        return page(PairFilter.ALL, 0, 1).total();
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing an in-memory database cannot lose anything
        }
    }

    // ---- SQL ----

    private static final String SELECT = """
            SELECT p.*, d.verdict AS d_verdict, d.revision AS d_revision, d.fingerprint AS d_fingerprint,
              d.edited_question AS d_edited_question, d.edited_answer AS d_edited_answer, d.reason AS d_reason,
              d.reviewer AS d_reviewer, d.decided_at AS d_decided_at, d.edited_score AS d_edited_score,
              d.edited_reasons AS d_edited_reasons, d.topic_offset AS d_topic_offset, d.pair_key AS d_pair_key
            FROM pairs p LEFT JOIN decisions d ON d.pair_key = p.pair_key""";

    private String where(PairFilter f, List<Object> args) {
        List<String> c = new ArrayList<>();
        if (PairFilter.present(f.documentGlob())) {
            c.add("p.document_id LIKE ? ESCAPE '\\'");
            args.add(PairFilter.globToLike(f.documentGlob().trim()));
        }
        equal(c, args, "p.tier", f.tier());
        equal(c, args, "p.model", f.model());
        equal(c, args, "p.prompt_version", f.promptVersion());
        if ("accepted".equals(f.verdict()) || "rejected".equals(f.verdict())) {
            c.add("p.accepted = ?");
            args.add("accepted".equals(f.verdict()));
        }
        if (PairFilter.present(f.reason())) {
            c.add("LOWER(p.reasons) LIKE ? ESCAPE '\\'");
            args.add("%" + PairFilter.globToLike(f.reason().trim().toLowerCase()) + "%");
        }
        if (f.minScore() != null) {
            c.add("p.overall >= ?");
            args.add(f.minScore());
        }
        if (f.maxScore() != null) {
            c.add("p.overall <= ?");
            args.add(f.maxScore());
        }
        if (f.borderline()) {
            c.add("ABS(p.overall - ?) <= ?");
            args.add(acceptThreshold);
            args.add(BORDERLINE_BAND + 1e-9);
        }
        String decided = "d.verdict IS NOT NULL";
        String current = "(d.revision = p.revision AND d.fingerprint = p.fingerprint)";
        switch (f.review() == null ? "" : f.review()) {
            case "not-reviewed" -> c.add("NOT (" + decided + " AND " + current + ")");
            case "reviewed" -> c.add(decided + " AND " + current);
            case "changed" -> c.add(decided + " AND NOT " + current);
            default -> { }
        }
        if (PairFilter.present(f.text())) {
            for (String word : f.text().toLowerCase().trim().split("\\s+")) {
                c.add("p.search LIKE ? ESCAPE '\\'");
                args.add("%" + PairFilter.globToLike(word) + "%");
            }
        }
        return c.isEmpty() ? "" : " WHERE " + String.join(" AND ", c);
    }

    private static void equal(List<String> c, List<Object> args, String column, String value) {
        if (PairFilter.present(value)) {
            c.add(column + " = ?");
            args.add(value);
        }
    }

    private List<PairRow> rows(String sql, Object... args) {
        List<PairRow> out = new ArrayList<>();
        try (PreparedStatement st = prepare(sql, Arrays.asList(args)); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                Decision d = rs.getString("d_pair_key") == null || rs.getString("d_verdict") == null ? null
                        : decision(rs, "d_");
                out.add(new PairRow(rs.getString("pair_key"), rs.getString("chunk_id"), rs.getString("document_id"),
                        rs.getInt("slot"), rs.getString("question"), rs.getString("answer"), rs.getString("tier"),
                        rs.getString("model"), rs.getString("prompt_version"), rs.getString("question_type"),
                        rs.getLong("revision"), rs.getString("fingerprint"), rs.getBoolean("accepted"),
                        rs.getDouble("overall"), rs.getDouble("structural"), nullable(rs, "coherence"),
                        nullable(rs, "relevance"), nullable(rs, "accuracy"), nullable(rs, "judge"),
                        split(rs.getString("reasons")), rs.getString("duplicate_of"), split(rs.getString("flags")), d));
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    private static Decision decision(ResultSet rs, String prefix) throws SQLException {
        String key = prefix.isEmpty() ? rs.getString("pair_key") : rs.getString("d_pair_key");
        return new Decision(key, rs.getString(prefix + "verdict"), rs.getLong(prefix + "revision"),
                rs.getString(prefix + "fingerprint"), rs.getString(prefix + "edited_question"),
                rs.getString(prefix + "edited_answer"), rs.getString(prefix + "reason"), rs.getString(prefix + "reviewer"),
                rs.getLong(prefix + "decided_at"), nullable(rs, prefix + "edited_score"),
                split(rs.getString(prefix + "edited_reasons")), rs.getLong(prefix + "topic_offset"));
    }

    private static Double nullable(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private PreparedStatement prepare(String sql, List<?> args) throws SQLException {
        PreparedStatement st = db.prepareStatement(sql);
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a == null) {
                st.setNull(i + 1, Types.NULL);
            } else {
                st.setObject(i + 1, a);
            }
        }
        return st;
    }

    /** Writes come in the same few shapes, many thousands of times while the topics are read: prepared once. */
    private void update(String sql, Object... args) {
        try {
            PreparedStatement st = writes.get(sql);
            if (st == null) {
                st = db.prepareStatement(sql);
                writes.put(sql, st);
            }
            for (int i = 0; i < args.length; i++) {
                if (args[i] == null) {
                    st.setNull(i + 1, Types.NULL);
                } else {
                    st.setObject(i + 1, args[i]);
                }
            }
            st.executeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Runs the writes in one transaction: the feed applies each poll's records at once. */
    public synchronized void inOneTransaction(Runnable writes) {
        try {
            db.setAutoCommit(false);
            try {
                writes.run();
                db.commit();
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static String join(List<? extends CharSequence> values) {
        return values == null || values.isEmpty() ? "" : String.join(SEP, values);
    }

    private static List<String> split(String s) {
        return s == null || s.isEmpty() ? List.of() : List.of(s.split(SEP));
    }

    private static IllegalStateException failed(SQLException e) {
        return new IllegalStateException("review store: " + e.getMessage(), e);
    }
}
