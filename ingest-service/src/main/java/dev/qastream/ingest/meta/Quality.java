package dev.qastream.ingest.meta;

import dev.qastream.schemas.ChunkQuality;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.Parameter;
import java.util.List;

/**
 * Structural quality of a chunk. Completeness is the share of expected fields present:
 * <pre>
 *   document part  = share of {title, feature state, product numbers, section path} present
 *   parameter part = mean over the chunk's parameters of the share of
 *                    {description, valid values, default, MO class} present
 *   completeness   = document part                          (no parameters)
 *                  = (document part + parameter part) / 2   (with parameters)
 * </pre>
 */
public final class Quality {

    private Quality() {}

    public static ChunkQuality measure(DocumentInfo info, List<String> sectionPath, List<Parameter> parameters,
            int counterCount, double technicalDensity) {
        return ChunkQuality.newBuilder()
                .setParameterCount(parameters.size())
                .setCounterCount(counterCount)
                .setTechnicalDensity(Math.round(technicalDensity * 100) / 100.0)
                .setCompleteness(Math.round(completeness(info, sectionPath, parameters) * 10_000) / 10_000.0)
                .build();
    }

    public static double completeness(DocumentInfo info, List<String> sectionPath, List<Parameter> parameters) {
        int present = 0;
        present += present(info.getTitle()) ? 1 : 0;
        present += present(info.getFeatureState()) ? 1 : 0;
        present += info.getProductNumbers().isEmpty() ? 0 : 1;
        present += sectionPath.isEmpty() ? 0 : 1;
        double document = present / 4.0;
        if (parameters.isEmpty()) {
            return document;
        }
        double sum = 0;
        for (Parameter p : parameters) {
            int fields = 0;
            fields += present(p.getDescription()) ? 1 : 0;
            fields += present(p.getValidValues()) ? 1 : 0;
            fields += present(p.getDefaultValue()) ? 1 : 0;
            fields += present(p.getMoClass()) ? 1 : 0;
            sum += fields / 4.0;
        }
        return (document + sum / parameters.size()) / 2.0;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
