package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.Parameter;

import java.util.ArrayList;
import java.util.List;

/** What one chunk of one document states about one parameter (or counter: no MO class, no values). */
public record ParameterFact(String name, String documentId, String chunkId, String moClass, String defaultValue,
                            String validValues, String unit) {

    /** Name without the MO class, the catalogue's key. */
    public static String bare(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    public String qualified() {
        return moClass == null || moClass.isBlank() || name.contains(".") ? name : moClass + "." + name;
    }

    public static List<ParameterFact> of(Chunk chunk) {
        List<ParameterFact> out = new ArrayList<>();
        if (chunk.getParameters() != null) {
            for (Parameter p : chunk.getParameters()) {
                if (p.getName() != null && !p.getName().isBlank()) {
                    out.add(new ParameterFact(bare(p.getName().strip()), chunk.getDocumentId(), chunk.getChunkId(),
                            blankToNull(p.getMoClass()), blankToNull(p.getDefaultValue()),
                            blankToNull(p.getValidValues()), blankToNull(p.getUnit())));
                }
            }
        }
        if (chunk.getCounters() != null) {
            for (String c : chunk.getCounters()) {
                if (c != null && !c.isBlank()) {
                    out.add(new ParameterFact(c.strip(), chunk.getDocumentId(), chunk.getChunkId(), null, null, null, null));
                }
            }
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
