package dev.qastream.scoring;

import java.util.List;

/**
 * Facts of an answer checked against the chunk.
 *
 * @param accuracy       1 when every checkable claim agrees with the document, 0.9 when nothing could be
 *                       checked, 0 on a contradiction or a number or unit the document never states
 * @param contradictions claims the document contradicts: each rejects the pair
 * @param reasons        every finding that lowered the accuracy, contradictions included
 * @param flags          notes that do not reject: other documents stating something else about a parameter
 * @param conflicts      a stable key per cross-document conflict, for counting distinct conflicts
 */
public record FactCheck(double accuracy, List<String> contradictions, List<String> reasons, List<String> flags,
                        List<String> conflicts) {
    public FactCheck {
        contradictions = List.copyOf(contradictions);
        reasons = List.copyOf(reasons);
        flags = List.copyOf(flags);
        conflicts = List.copyOf(conflicts);
    }
}
