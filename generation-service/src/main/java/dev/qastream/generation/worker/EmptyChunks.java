package dev.qastream.generation.worker;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The most recent chunks that yielded zero usable pairs (committed), with why: for a summary that names
 * them. Bounded; the full count per tier and reason is the {@code qastream.generation.empty} counter.
 */
public final class EmptyChunks {
    public static final int KEPT = 200;

    /** One chunk that gave nothing: no-pairs, no-usable-pairs or dead-lettered. */
    public record Entry(String chunkId, long revision, String tier, String reason) {
    }

    private final Deque<Entry> recent = new ArrayDeque<>();

    public synchronized void add(Entry e) {
        recent.addLast(e);
        while (recent.size() > KEPT) {
            recent.removeFirst();
        }
    }

    /** Oldest first. */
    public synchronized List<Entry> recent() {
        return List.copyOf(recent);
    }
}
