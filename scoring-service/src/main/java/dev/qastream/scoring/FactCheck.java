package dev.qastream.scoring;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Facts of an answer checked against the chunk.
 *
 * @param accuracy       1 when every checkable claim agrees with the document, 0.9 when nothing could be
 *                       checked, 0 on a contradiction or a number or unit the document never states
 * @param contradictions claims the document contradicts: each rejects the pair
 * @param reasons        every finding that lowered the accuracy, contradictions included
 * @param flags          notes that do not reject: other documents stating something else about a parameter
 * @param conflicts      a stable key per cross-document conflict, for counting distinct conflicts
 * @param confirmed      what the answer states that the document confirms, as {@code what|MoClass.name}
 *                       (what: default, values, unit, mo-class)
 * @param contradicted   what the answer states that the document contradicts, as {@code what|MoClass.name}
 *                       to the value the answer gave
 */
public record FactCheck(double accuracy, List<String> contradictions, List<String> reasons, List<String> flags,
                        List<String> conflicts, Set<String> confirmed, Map<String, String> contradicted) {
    public FactCheck {
        contradictions = List.copyOf(contradictions);
        reasons = List.copyOf(reasons);
        flags = List.copyOf(flags);
        conflicts = List.copyOf(conflicts);
        confirmed = Collections.unmodifiableSet(new TreeSet<>(confirmed));
        contradicted = Collections.unmodifiableMap(new TreeMap<>(contradicted));
    }

    public FactCheck(double accuracy, List<String> contradictions, List<String> reasons, List<String> flags,
                     List<String> conflicts) {
        this(accuracy, contradictions, reasons, flags, conflicts, Set.of(), Map.of());
    }
}
