package dev.qastream.scoring;

import java.util.List;

/** Turns texts into unit-length vectors, many at a time. */
public interface Embedder {
    List<float[]> embed(List<String> texts);

    default float[] embed(String text) {
        return embed(List.of(text)).get(0);
    }
}
