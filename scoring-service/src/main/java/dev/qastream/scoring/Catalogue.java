package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Everything ingested that a pair may name: parameters and counters by bare name, with what each document states. */
public interface Catalogue {
    /** What every chunk of every document states about this bare name; empty when nothing ingested names it. */
    List<ParameterFact> facts(String bareName);

    Catalogue EMPTY = name -> List.of();

    /** A catalogue of the given chunks, for scoring without Kafka. */
    static Catalogue of(List<Chunk> chunks) {
        Map<String, List<ParameterFact>> byName = new HashMap<>();
        for (Chunk c : chunks) {
            for (ParameterFact f : ParameterFact.of(c)) {
                byName.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(f);
            }
        }
        return name -> byName.getOrDefault(name, List.of());
    }
}
