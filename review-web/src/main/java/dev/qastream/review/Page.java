package dev.qastream.review;

import java.util.List;

/** One page of the list: its rows, the number of pairs the filter matches, and where the page starts. */
public record Page(List<PairRow> rows, int total, int offset, int limit) {

    public boolean hasPrevious() {
        return offset > 0;
    }

    public boolean hasNext() {
        return offset + rows.size() < total;
    }
}
