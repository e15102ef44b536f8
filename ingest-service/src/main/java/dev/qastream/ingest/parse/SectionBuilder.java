package dev.qastream.ingest.parse;

import java.util.ArrayList;
import java.util.List;

/** Collects blocks under a stack of headings; a heading of level n closes every open heading of level >= n. */
final class SectionBuilder {

    private record Heading(int level, String title) {}

    private final List<Section> sections = new ArrayList<>();
    private final List<Heading> open = new ArrayList<>();
    private List<Block> blocks = new ArrayList<>();
    private String firstHeading;

    void heading(int level, String title) {
        String t = title == null ? "" : title.strip();
        if (t.isEmpty()) {
            return;
        }
        flush();
        while (!open.isEmpty() && open.get(open.size() - 1).level() >= level) {
            open.remove(open.size() - 1);
        }
        open.add(new Heading(level, t));
        if (firstHeading == null) {
            firstHeading = t;
        }
    }

    /** Appends text to the innermost open heading (a heading wrapped over two lines). */
    void extendLastHeading(String more) {
        if (!open.isEmpty() && blocks.isEmpty()) {
            Heading last = open.remove(open.size() - 1);
            open.add(new Heading(last.level(), last.title() + " " + more.strip()));
            if (open.size() == 1 && firstHeading != null && firstHeading.equals(last.title())) {
                firstHeading = open.get(0).title();
            }
        }
    }

    void add(Block block) {
        if (block != null && !block.text().isBlank()) {
            blocks.add(block);
        }
    }

    boolean hasHeading() {
        return firstHeading != null;
    }

    boolean isEmpty() {
        return sections.isEmpty() && blocks.isEmpty();
    }

    String firstHeading() {
        return firstHeading;
    }

    List<Section> build() {
        flush();
        return List.copyOf(sections);
    }

    private void flush() {
        if (!blocks.isEmpty()) {
            List<String> path = new ArrayList<>(open.size());
            for (Heading h : open) {
                path.add(h.title());
            }
            sections.add(new Section(path, blocks));
            blocks = new ArrayList<>();
        }
    }
}
