package dev.qastream.launcher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** What the services of this process have done so far, read from their meters. */
record Counts(double documents, double chunks, double ingestErrors, double pairs, double deadLetters,
              double accepted, double rejected, int dataset) {

    static Counts of(Stack stack) {
        MeterRegistry m = stack.http().meters();
        return new Counts(sum(m, "qastream.ingest.documents"), sum(m, "qastream.ingest.chunks"),
                sum(m, "qastream.ingest.errors"), sum(m, "qastream.generation.pairs"),
                sum(m, "qastream.generation.dead.letters"), outcome(m, "accepted"), outcome(m, "rejected"),
                stack.sink().writer().size());
    }

    private static double sum(MeterRegistry m, String name) {
        return m.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double outcome(MeterRegistry m, String outcome) {
        Counter c = m.find("qastream.scoring.pairs").tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }
}
