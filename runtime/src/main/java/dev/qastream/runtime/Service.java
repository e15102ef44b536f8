package dev.qastream.runtime;

/** A pipeline stage with a lifecycle; the embedded stack runs several in one process. */
public interface Service extends AutoCloseable {
    String name();

    void start();

    /** True while the service can do its work. */
    boolean healthy();

    /**
     * For /health: UP, DEGRADED or DOWN, with the reason. By default UP or DOWN from {@link #healthy()}; a service
     * that can tell more (a stream thread that keeps failing, a stalled stage, a writer that cannot write) says so
     * here, and keeps {@link #healthy()} true while it is DEGRADED: it still works.
     */
    default Health health() {
        return healthy() ? Health.up() : Health.down("not running");
    }

    /** Consumer groups whose lag tells whether this stage has processed everything (for batch runs); none by default. */
    default java.util.Map<String, java.util.List<String>> consumerGroups() {
        return java.util.Map.of();
    }

    /**
     * Records this stage has taken in (their input offsets committed) but not yet written out, which consumer lag
     * cannot show: e.g. pairs waiting for their scoring batch. A batch run is done only when this is zero too.
     */
    default long inFlight() {
        return 0;
    }

    @Override
    void close();
}
