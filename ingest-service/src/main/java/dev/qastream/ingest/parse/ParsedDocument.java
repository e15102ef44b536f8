package dev.qastream.ingest.parse;

import dev.qastream.schemas.DocumentInfo;
import java.util.List;

/**
 * A document after parsing: its metadata and its content as sections of whole blocks.
 *
 * @param documentId path relative to the inbox
 * @param format     {@code markdown}, {@code html}, {@code pdf}, {@code csv}, {@code 3gpp-text} or {@code text}
 * @param info       title, feature name, product numbers and feature state
 * @param sections   sections in document order; sections without blocks are left out
 */
public record ParsedDocument(String documentId, String format, DocumentInfo info, List<Section> sections) {
    public ParsedDocument {
        sections = List.copyOf(sections);
    }
}
