package dev.qastream.launcher;

import dev.qastream.simulator.LlmSimulator;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Samples the simulator's busy slots every 50 ms, so a benchmark can say when in a run the model server stood idle
 * (the busy share in each tenth of the window from the first call to the last).
 */
final class SlotSampler implements AutoCloseable {
    private final LlmSimulator sim;
    private final List<long[]> samples = new ArrayList<>(); // {nanoTime, active slots}
    private final Thread thread;
    private volatile boolean running = true;

    private SlotSampler(LlmSimulator sim) {
        this.sim = sim;
        this.thread = new Thread(this::sample, "slot-sampler");
        thread.setDaemon(true);
    }

    static SlotSampler start(LlmSimulator sim) {
        SlotSampler s = new SlotSampler(sim);
        s.thread.start();
        return s;
    }

    private void sample() {
        while (running) {
            synchronized (samples) {
                samples.add(new long[] {System.nanoTime(), sim.activeSlots()});
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The mean share of slots busy in each tenth of [from, to], e.g. "0.98 0.97 ... 0.41". */
    String byTenth(long from, long to) {
        double[] busy = new double[10];
        int[] count = new int[10];
        synchronized (samples) {
            for (long[] s : samples) {
                if (s[0] >= from && s[0] <= to && to > from) {
                    int i = (int) Math.min(9, (s[0] - from) * 10 / (to - from));
                    busy[i] += s[1] / (double) sim.config().slots();
                    count[i]++;
                }
            }
        }
        StringJoiner j = new StringJoiner(" ");
        for (int i = 0; i < 10; i++) {
            j.add(count[i] == 0 ? "-" : String.format("%.2f", busy[i] / count[i]));
        }
        return j.toString();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
