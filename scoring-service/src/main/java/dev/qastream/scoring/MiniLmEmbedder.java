package dev.qastream.scoring;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.util.ArrayList;
import java.util.List;

/**
 * The in-process all-MiniLM-L6-v2 (quantized) model; its jar carries the ONNX weights, so scoring works
 * offline. Loading takes a second or more, so there is one instance per JVM ({@link #shared()}).
 */
public final class MiniLmEmbedder implements Embedder {
    private static final int SERIAL_BELOW = 8;
    private static volatile MiniLmEmbedder shared;
    private final AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();

    private MiniLmEmbedder() {
    }

    public static MiniLmEmbedder shared() {
        MiniLmEmbedder m = shared;
        if (m == null) {
            synchronized (MiniLmEmbedder.class) {
                if (shared == null) {
                    shared = new MiniLmEmbedder();
                }
                m = shared;
            }
        }
        return m;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String t : texts) {
            // The model rejects empty text; a blank answer still needs a vector (it scores low anyway).
            segments.add(TextSegment.from(t == null || t.isBlank() ? "." : t));
        }
        // A few texts (a pair's question and answer) run on the calling thread: the ONNX runtime already spreads one
        // text over the cores, and handing two texts to a pool and waiting costs more than it gains.
        List<Embedding> out;
        if (segments.size() <= SERIAL_BELOW) {
            out = new ArrayList<>(segments.size());
            for (TextSegment s : segments) {
                out.add(model.embed(s).content());
            }
        } else {
            out = model.embedAll(segments).content();
        }
        List<float[]> vectors = new ArrayList<>(out.size());
        for (Embedding e : out) {
            vectors.add(Vectors.normalize(e.vector()));
        }
        return vectors;
    }
}
