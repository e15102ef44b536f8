package dev.qastream.launcher.report;

import java.util.List;
import java.util.Locale;

/**
 * The report's charts as inline SVG: no script, no fonts or styles from elsewhere, readable from a file.
 * Text inherits the page's font and its text styles (classes axis, label, value, count, ring).
 */
final class Svg {
    static final String ACCEPT = "#2b8a3e";
    static final String REJECT = "#e8590c";
    static final String PRIMARY = "#3b5bdb";
    static final String MUTED = "#868e96";

    private static final int LABEL_W = 190;
    private static final int ROW_H = 26;

    private Svg() {
    }

    /** One horizontal bar: a label, a value drawn against a maximum, the text printed after the bar. */
    record Bar(String label, double value, double max, String text, String color) {
    }

    /** One row of two stacked parts (e.g. accepted, rejected). */
    record Split(String label, long first, long second, String text) {
    }

    /** Ten vertical bins over [0, 1], with each bin's count above it. */
    static String histogram(String title, List<Long> bins, String color, int width, int height) {
        long max = Math.max(1, bins.stream().mapToLong(Long::longValue).max().orElse(1));
        int left = 8;
        int top = 18;
        int bottom = 20;
        double slot = (width - 2.0 * left) / bins.size();
        double plotH = height - top - bottom;
        StringBuilder s = open(width, height, title);
        s.append(line(left, height - bottom, width - left, height - bottom));
        for (int i = 0; i < bins.size(); i++) {
            long n = bins.get(i);
            double h = n == 0 ? 0 : Math.max(2, plotH * n / max);
            double x = left + i * slot + slot * 0.1;
            double y = height - bottom - h;
            s.append(rect(x, y, slot * 0.8, h, color, "%.1f–%.1f: %d".formatted(i / 10.0, (i + 1) / 10.0, n)));
            if (n > 0) {
                s.append(text(x + slot * 0.4, y - 4, "middle", "count", String.valueOf(n)));
            }
        }
        for (int i = 0; i <= bins.size(); i += 2) {
            s.append(text(left + i * slot, height - 5, "middle", "axis", i == 10 ? "1" : i == 0 ? "0" : "." + i));
        }
        return s.append("</svg>").toString();
    }

    /** Vertical columns over time, no labels per column (the caption says what the span is). */
    static String columns(String title, List<Long> values, String color, int width, int height) {
        long max = Math.max(1, values.stream().mapToLong(Long::longValue).max().orElse(1));
        double slot = (double) width / Math.max(1, values.size());
        StringBuilder s = open(width, height, title);
        s.append(line(0, height - 1, width, height - 1));
        for (int i = 0; i < values.size(); i++) {
            long n = values.get(i);
            double h = n == 0 ? 0 : Math.max(2, (height - 16) * (double) n / max);
            s.append(rect(i * slot + 1, height - 1 - h, Math.max(1, slot - 2), h, color, n + " pairs"));
        }
        s.append(text(2, 11, "start", "axis", max + " per step"));
        return s.append("</svg>").toString();
    }

    static String bars(String title, List<Bar> bars, int width) {
        int height = Math.max(1, bars.size()) * ROW_H + 4;
        int barW = width - LABEL_W - 150;
        StringBuilder s = open(width, height, title);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double y = i * ROW_H + 4;
            double w = b.max <= 0 ? 0 : Math.max(b.value > 0 ? 2 : 0, barW * b.value / b.max);
            s.append(text(LABEL_W - 8, y + 14, "end", "label", clip(b.label, 30)));
            s.append(rect(LABEL_W, y + 2, barW, ROW_H - 10, "#f1f3f5", null));
            s.append(rect(LABEL_W, y + 2, w, ROW_H - 10, b.color, b.label + ": " + b.text));
            s.append(text(LABEL_W + barW + 8, y + 14, "start", "value", b.text));
        }
        return s.append("</svg>").toString();
    }

    static String split(String title, List<Split> rows, String firstColor, String secondColor, int width) {
        int height = Math.max(1, rows.size()) * ROW_H + 4;
        int barW = width - LABEL_W - 150;
        long max = Math.max(1, rows.stream().mapToLong(r -> r.first + r.second).max().orElse(1));
        StringBuilder s = open(width, height, title);
        for (int i = 0; i < rows.size(); i++) {
            Split r = rows.get(i);
            double y = i * ROW_H + 4;
            double w1 = barW * (double) r.first / max;
            double w2 = barW * (double) r.second / max;
            s.append(text(LABEL_W - 8, y + 14, "end", "label", clip(r.label, 30)));
            s.append(rect(LABEL_W, y + 2, w1, ROW_H - 10, firstColor, r.label + ": " + r.first + " accepted"));
            s.append(rect(LABEL_W + w1, y + 2, w2, ROW_H - 10, secondColor, r.label + ": " + r.second + " rejected"));
            s.append(text(LABEL_W + w1 + w2 + 8, y + 14, "start", "value", r.text));
        }
        return s.append("</svg>").toString();
    }

    /** A ring filled to a share in [0, 1], the percentage in its middle. */
    static String ring(String title, double share, String color, int size) {
        double r = size / 2.0 - 6;
        double c = 2 * Math.PI * r;
        StringBuilder s = open(size, size, title);
        s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"none\" "
                + "stroke=\"#eef0f3\" stroke-width=\"9\"/>", size / 2.0, size / 2.0, r));
        s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"none\" stroke=\"%s\" "
                        + "stroke-width=\"9\" stroke-linecap=\"round\" stroke-dasharray=\"%.2f %.2f\" "
                        + "transform=\"rotate(-90 %.1f %.1f)\"/>", size / 2.0, size / 2.0, r, color,
                c * Math.max(0, Math.min(1, share)), c, size / 2.0, size / 2.0));
        s.append(text(size / 2.0, size / 2.0 + 6, "middle", "ring", Math.round(share * 100) + "%"));
        return s.append("</svg>").toString();
    }

    private static StringBuilder open(int width, int height, String title) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" "
                + "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\"><title>%s</title>",
                width, height, width, height, Html.escape(title), Html.escape(title)));
        return s;
    }

    private static String rect(double x, double y, double w, double h, String fill, String tooltip) {
        String r = String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"2\" fill=\"%s\"",
                x, y, w, h, fill);
        return tooltip == null ? r + "/>" : r + "><title>" + Html.escape(tooltip) + "</title></rect>";
    }

    private static String line(double x1, double y1, double x2, double y2) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                + "stroke-width=\"1\"/>", x1, y1, x2, y2, "#dee2e6");
    }

    private static String text(double x, double y, String anchor, String cls, String content) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">%s</text>",
                x, y, anchor, cls, Html.escape(content));
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
