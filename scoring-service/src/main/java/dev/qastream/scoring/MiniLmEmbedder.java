package dev.qastream.scoring;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-process all-MiniLM-L6-v2 (quantized) model; its jar carries the ONNX weights, so scoring works
 * offline. Loading takes a second or more, so there is one instance per JVM ({@link #shared()}).
 *
 * <p>Texts are embedded one per model run, on as many threads as there are cores, each run on one thread. The
 * model's default runs one text on every core, and for texts of a few dozen word pieces that splitting gains
 * nothing while two texts at once contend: one thread per run embeds 1.3 to 1.5 times as many texts a second on two
 * cores ({@code bench scoring}'s raw figure went from about 490 to 750). Each text is embedded alone, never padded
 * into a batch: the model quantizes its activations by their range, so a batch-mate would change a text's vector,
 * and scores must not depend on which pairs arrived together.
 */
public final class MiniLmEmbedder implements Embedder {
    private static final String MODEL = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
    private static volatile MiniLmEmbedder shared;
    private final Model model;

    private MiniLmEmbedder() {
        this.model = new Model(Runtime.getRuntime().availableProcessors());
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
        // One text runs on the calling thread; more are spread over the model's threads.
        List<Embedding> out = model.embedAll(segments).content();
        List<float[]> vectors = new ArrayList<>(out.size());
        for (Embedding e : out) {
            vectors.add(Vectors.normalize(e.vector()));
        }
        return vectors;
    }

    /** The library's model over a session of one thread per run, and a pool of one thread per core. */
    private static final class Model extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        Model(int threads) {
            super(pool(threads));
            try (InputStream weights = resource(MODEL); InputStream tokenizer = resource(TOKENIZER)) {
                OrtEnvironment environment = OrtEnvironment.getEnvironment();
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                options.setIntraOpNumThreads(1);
                OrtSession session = environment.createSession(weights.readAllBytes(), options);
                this.encoder = new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the embedding model from its jar", e);
            } catch (OrtException e) {
                throw new IllegalStateException("cannot load the embedding model", e);
            }
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        private static InputStream resource(String name) {
            InputStream in = MiniLmEmbedder.class.getClassLoader().getResourceAsStream(name);
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath (the all-minilm-l6-v2-q jar)");
            }
            return in;
        }

        private static ExecutorService pool(int threads) {
            AtomicInteger n = new AtomicInteger();
            return Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "embedding-" + n.incrementAndGet());
                t.setDaemon(true); // never keeps a stopping service alive
                return t;
            });
        }
    }
}
