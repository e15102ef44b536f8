package dev.qastream.ingest.meta;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CounterExtractorTest {

    @Test
    void findsDistinctCountersInOrder() {
        assertThat(CounterExtractor.extract("pmDrxSleepTime and pmDrxWakeups; again pmDrxSleepTime, not pmx, "
                + "not rpmFoo, not file.pmBar, pm_Baz, but (pmCaCapableUes)."))
                .containsExactly("pmDrxSleepTime", "pmDrxWakeups", "pmCaCapableUes");
        assertThat(CounterExtractor.extract("no counters")).isEmpty();
    }
}
