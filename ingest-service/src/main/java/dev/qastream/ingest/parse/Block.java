package dev.qastream.ingest.parse;

import dev.qastream.schemas.Parameter;
import java.util.List;

/**
 * One unit of document content. Paragraphs and list items are prose and may be split by the
 * chunker when they are larger than a chunk; parameter entries and table rows are never split.
 */
public sealed interface Block permits Block.Paragraph, Block.ListItem, Block.ParameterEntry, Block.TableRow {

    /** The block's text as it goes into a chunk. */
    String text();

    /** 1-based source page for paged formats (PDF), otherwise null. */
    Integer page();

    /** Whether the chunker may cut this block into pieces when it does not fit a chunk. */
    default boolean splittable() {
        return this instanceof Paragraph || this instanceof ListItem;
    }

    /** A text paragraph (also code blocks and loose text). */
    record Paragraph(String text, Integer page) implements Block {}

    /** A list item, including its nested items. */
    record ListItem(String text, Integer page) implements Block {}

    /** A configuration parameter: from a parameter list entry or a parameter table row. */
    record ParameterEntry(String text, Parameter parameter, Integer page) implements Block {}

    /** A row of a (non-parameter) table; the text names each cell by its column header. */
    record TableRow(String text, List<String> header, List<String> cells, Integer page) implements Block {
        public TableRow {
            header = List.copyOf(header);
            cells = List.copyOf(cells);
        }
    }
}
