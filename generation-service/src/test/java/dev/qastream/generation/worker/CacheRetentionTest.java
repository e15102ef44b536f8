package dev.qastream.generation.worker;

import dev.qastream.generation.worker.CacheRetention.Member;
import dev.qastream.generation.worker.CacheRetention.Outcome;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CacheRetentionTest {
    private final CacheRetention keepThree = new CacheRetention(3);

    @Test
    void aFourthPromptVersionDropsTheOldest() {
        List<Member> held = List.of(new Member("k1", "v1", 100), new Member("k2", "v2", 200), new Member("k3", "v3", 300));

        Outcome outcome = keepThree.admit(held, new Member("k4", "v4", 400));

        assertThat(outcome.evicted()).containsExactly("k1");
        assertThat(outcome.kept()).extracting(Member::key).containsExactlyInAnyOrder("k2", "k3", "k4");
    }

    @Test
    void aFollowUpsEntriesCountAsTheirFirstPassVersion() {
        // Given v1 and v2 with a follow-up entry each ("+focus-..."), a cache keeping two versions
        CacheRetention keepTwo = new CacheRetention(2);
        List<Member> held = List.of(new Member("k1", "qa-v1", 100), new Member("k1f", "qa-v1+focus-aa", 150),
                new Member("k2", "qa-v2", 200));

        // When v2's follow-up entry is written
        Outcome outcome = keepTwo.admit(held, new Member("k2f", "qa-v2+focus-aa", 250));

        // Then nothing goes: two versions are held, each with its follow-up
        assertThat(outcome.evicted()).isEmpty();
        // and a third version takes v1 out with its follow-up
        assertThat(keepTwo.admit(outcome.kept(), new Member("k3", "qa-v3", 300)).evicted()).containsExactlyInAnyOrder("k1", "k1f");
    }

    @Test
    void upToKeepVersionsNothingIsDropped() {
        Outcome outcome = keepThree.admit(List.of(new Member("k1", "v1", 100), new Member("k2", "v2", 200)),
                new Member("k3", "v3", 300));

        assertThat(outcome.evicted()).isEmpty();
        assertThat(outcome.kept()).hasSize(3);
    }

    @Test
    void entriesOfOneVersionStayOrGoTogether() {
        // v1 under two parameter sets (two keys), then three newer versions
        List<Member> held = List.of(new Member("k1a", "v1", 100), new Member("k1b", "v1", 110),
                new Member("k2", "v2", 200), new Member("k3", "v3", 300));

        Outcome outcome = keepThree.admit(held, new Member("k4", "v4", 400));

        assertThat(outcome.evicted()).containsExactlyInAnyOrder("k1a", "k1b");
    }

    @Test
    void anOlderVersionArrivingLastIsDroppedItselfSoArrivalOrderDoesNotMatter() {
        List<Member> held = List.of(new Member("k2", "v2", 200), new Member("k3", "v3", 300), new Member("k4", "v4", 400));

        Outcome outcome = keepThree.admit(held, new Member("k1", "v1", 100));

        assertThat(outcome.evicted()).containsExactly("k1");
        assertThat(outcome.kept()).extracting(Member::key).containsExactlyInAnyOrder("k2", "k3", "k4");
    }

    @Test
    void anEntryWrittenAgainReplacesItselfAndAVersionUsedAgainBecomesNewest() {
        List<Member> held = List.of(new Member("k1", "v1", 100), new Member("k2", "v2", 200), new Member("k3", "v3", 300));

        // v1 written again (e.g. a prompt rolled back): now the newest; v2 is the oldest and goes when v4 comes
        Outcome again = keepThree.admit(held, new Member("k1", "v1", 500));
        assertThat(again.evicted()).isEmpty();
        assertThat(again.kept()).hasSize(3).contains(new Member("k1", "v1", 500));

        assertThat(keepThree.admit(again.kept(), new Member("k4", "v4", 600)).evicted()).containsExactly("k2");
    }

    @Test
    void membersRoundTripThroughTheirStoredForm() {
        List<Member> members = List.of(new Member("k1", "qa-v2-3f9c1a", 100), new Member("ké", "", Long.MAX_VALUE));

        assertThat(CacheRetention.decode(CacheRetention.encode(members))).isEqualTo(members);
        assertThat(CacheRetention.decode(null)).isEmpty();
    }

    @Test
    void keepingNoVersionIsAConfigurationError() {
        assertThatThrownBy(() -> new CacheRetention(0)).hasMessageContaining("generation.cache.keep-prompt-versions");
    }
}
