package dev.qastream.generation;

import dev.qastream.llm.GenerationException;
import dev.qastream.llm.PairGenerator;
import dev.qastream.llm.Generation;
import dev.qastream.llm.GeneratedPair;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.FocusFact;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process generator for worker tests: what it does per call is a script (sleep, throw, answer);
 * it counts calls per chunk and the calls in flight, so tests can measure what the worker did.
 */
class ScriptedGenerator implements PairGenerator {
    /** One call's behaviour. */
    interface Script {
        Generation call(Chunk chunk, int attempt) throws GenerationException, InterruptedException;
    }

    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger total = new AtomicInteger();
    /** Per chunk, the fact ids each call's focus named (an empty list for a first pass). */
    final Map<String, List<List<String>>> focusSeen = new ConcurrentHashMap<>();
    private final Script script;
    private final String model;
    private String promptVersion = "test-v1";

    ScriptedGenerator(String model, Script script) {
        this.model = model;
        this.script = script;
    }

    /** Answers {@code pairs} pairs for every chunk after {@code delayMs}. */
    static ScriptedGenerator answering(String model, long delayMs, int pairs) {
        return new ScriptedGenerator(model, (chunk, attempt) -> {
            Thread.sleep(delayMs);
            return pairs(chunk, pairs);
        });
    }

    static Generation pairs(Chunk chunk, int n) {
        List<GeneratedPair> list = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new GeneratedPair("Question " + i + " on " + chunk.getChecksum() + "?", "Answer " + i + ".", "factual"));
        }
        return new Generation(list, 100, 20 * n, "raw");
    }

    @Override
    public Generation generate(Chunk chunk, String tier) throws GenerationException {
        int attempt = calls.computeIfAbsent(chunk.getChunkId(), k -> new AtomicInteger()).incrementAndGet();
        total.incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            return script.call(chunk, attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationException("interrupted", GenerationException.Kind.TRANSIENT);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public Generation generate(Chunk chunk, String tier, List<FocusFact> focus) throws GenerationException {
        focusSeen.computeIfAbsent(chunk.getChunkId(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(focus.stream().map(FocusFact::getFactId).toList());
        return generate(chunk, tier);
    }

    @Override
    public String focusPromptVersion() {
        return promptVersion + "+focus-test";
    }

    int callsFor(String chunkId) {
        AtomicInteger n = calls.get(chunkId);
        return n == null ? 0 : n.get();
    }

    @Override
    public String backend() {
        return "test";
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public String promptVersion() {
        return promptVersion;
    }

    /** The same script under another prompt version (as after a prompt edit). */
    ScriptedGenerator withPromptVersion(String version) {
        this.promptVersion = version;
        return this;
    }
}
