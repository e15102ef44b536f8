package dev.qastream.scoring.coverage;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.Fact;
import dev.qastream.schemas.FocusFact;
import dev.qastream.schemas.Parameter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The facts a dataset should teach from one chunk, read from its parsed metadata: per parameter its purpose,
 * default, valid values, unit and MO class (parameters without an MO class, such as a configuration reference's
 * YAML, CSV or RST table rows, give config.* facts); per counter what it counts; per document, once, on its first
 * chunk, what the feature does, its state and its products. A value fact carries the value an answer must state;
 * a descriptive fact carries none. Pure: the same chunk always gives the same facts, in the same order.
 */
public final class FactInventory {
    public static final String PARAMETER_PURPOSE = "parameter.purpose";
    public static final String PARAMETER_DEFAULT = "parameter.default";
    public static final String PARAMETER_VALUES = "parameter.values";
    public static final String PARAMETER_UNIT = "parameter.unit";
    public static final String PARAMETER_MO_CLASS = "parameter.mo-class";
    public static final String CONFIG_PURPOSE = "config.purpose";
    public static final String CONFIG_DEFAULT = "config.default";
    public static final String CONFIG_VALUES = "config.values";
    public static final String CONFIG_UNIT = "config.unit";
    public static final String COUNTER_PURPOSE = "counter.purpose";
    public static final String FEATURE_PURPOSE = "feature.purpose";
    public static final String FEATURE_STATE = "feature.state";
    public static final String FEATURE_PRODUCTS = "feature.products";

    private FactInventory() {
    }

    /** The id of a fact: chunk id + '|' + kind + '|' + subject. */
    public static String factId(String chunkId, String kind, String subject) {
        return chunkId + "|" + kind + "|" + subject;
    }

    /** The chunk that carries a document's own facts: its first (ordinal 0), whose chunk id is document id + "#0". */
    public static String headerChunkId(String documentId) {
        return documentId + "#0";
    }

    /** The document a chunk id belongs to (chunk id = document id + '#' + ordinal). */
    public static String documentOf(String chunkId) {
        int hash = chunkId.lastIndexOf('#');
        return hash < 0 ? chunkId : chunkId.substring(0, hash);
    }

    public static List<Fact> of(Chunk chunk) {
        Map<String, Fact> facts = new LinkedHashMap<>(); // by id: a parameter listed twice is one fact
        if (chunk.getOrdinal() == 0) {
            documentFacts(chunk.getDocumentId(), chunk.getDocument()).forEach(f -> facts.putIfAbsent(f.getFactId(), f));
        }
        for (Parameter p : chunk.getParameters()) {
            if (p.getName() == null || p.getName().isBlank()) {
                continue;
            }
            parameterFacts(chunk, p).forEach(f -> facts.putIfAbsent(f.getFactId(), f));
        }
        for (String counter : chunk.getCounters()) {
            if (counter != null && !counter.isBlank()) {
                String c = counter.strip();
                Fact f = fact(chunk.getDocumentId(), chunk.getChunkId(), COUNTER_PURPOSE, c, null, "what " + c + " counts");
                facts.putIfAbsent(f.getFactId(), f);
            }
        }
        return List.copyOf(facts.values());
    }

    /** The document's own facts (what the feature does, its state, its products), on its first chunk. */
    public static List<Fact> documentFacts(String documentId, DocumentInfo info) {
        List<Fact> out = new ArrayList<>();
        if (info == null) {
            return out;
        }
        String feature = featureOf(info);
        if (feature == null) {
            return out;
        }
        String chunkId = headerChunkId(documentId);
        out.add(fact(documentId, chunkId, FEATURE_PURPOSE, feature, null, "what " + feature + " does"));
        if (present(info.getFeatureState())) {
            out.add(fact(documentId, chunkId, FEATURE_STATE, feature, info.getFeatureState().strip(),
                    "the feature state of " + feature));
        }
        List<String> products = info.getProductNumbers().stream().filter(FactInventory::present).map(String::strip).toList();
        if (!products.isEmpty()) {
            out.add(fact(documentId, chunkId, FEATURE_PRODUCTS, feature, String.join(", ", products),
                    "the product numbers of " + feature));
        }
        return out;
    }

    /** The feature a document describes: its feature name, else its title. */
    public static String featureOf(DocumentInfo info) {
        if (info == null) {
            return null;
        }
        if (present(info.getFeatureName())) {
            return info.getFeatureName().strip();
        }
        return present(info.getTitle()) ? info.getTitle().strip() : null;
    }

    private static List<Fact> parameterFacts(Chunk chunk, Parameter p) {
        String name = p.getName().strip();
        name = name.substring(name.lastIndexOf('.') + 1);
        String mo = present(p.getMoClass()) ? p.getMoClass().strip() : null;
        boolean config = mo == null;
        String subject = config ? name : mo + "." + name;
        String doc = chunk.getDocumentId();
        String id = chunk.getChunkId();
        List<Fact> out = new ArrayList<>();
        out.add(fact(doc, id, config ? CONFIG_PURPOSE : PARAMETER_PURPOSE, subject, null, "what " + subject + " is for"));
        if (present(p.getDefaultValue())) {
            out.add(fact(doc, id, config ? CONFIG_DEFAULT : PARAMETER_DEFAULT, subject, p.getDefaultValue().strip(),
                    "the default value of " + subject));
        }
        if (present(p.getValidValues())) {
            out.add(fact(doc, id, config ? CONFIG_VALUES : PARAMETER_VALUES, subject, p.getValidValues().strip(),
                    "the valid values of " + subject));
        }
        if (present(p.getUnit())) {
            out.add(fact(doc, id, config ? CONFIG_UNIT : PARAMETER_UNIT, subject, p.getUnit().strip(),
                    "the unit of " + subject));
        }
        if (!config) {
            out.add(fact(doc, id, PARAMETER_MO_CLASS, subject, mo, "the MO class of " + subject));
        }
        return out;
    }

    /** A fact as a follow-up request names it. */
    public static FocusFact focus(Fact f) {
        return FocusFact.newBuilder().setFactId(f.getFactId()).setSubject(f.getSubject()).setKind(f.getKind())
                .setValue(f.getValue()).setText(f.getText()).build();
    }

    /** Whether a fact has a value an answer must state. */
    public static boolean isValueFact(Fact f) {
        return f.getValue() != null;
    }

    private static Fact fact(String documentId, String chunkId, String kind, String subject, String value, String text) {
        return Fact.newBuilder().setFactId(factId(chunkId, kind, subject)).setDocumentId(documentId).setChunkId(chunkId)
                .setKind(kind).setSubject(subject).setValue(value).setText(text).build();
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
