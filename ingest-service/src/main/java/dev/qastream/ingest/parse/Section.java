package dev.qastream.ingest.parse;

import java.util.List;

/**
 * A run of blocks under one heading.
 *
 * @param path   heading texts from the outermost to this section's own heading; empty for text before the first heading
 * @param blocks the section's content; parameter entries and table rows are single blocks, never split
 */
public record Section(List<String> path, List<Block> blocks) {
    public Section {
        path = List.copyOf(path);
        blocks = List.copyOf(blocks);
    }
}
