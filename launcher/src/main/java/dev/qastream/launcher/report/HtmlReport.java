package dev.qastream.launcher.report;

import dev.qastream.launcher.report.QualityReport.Combination;
import dev.qastream.launcher.report.QualityReport.Conflict;
import dev.qastream.launcher.report.QualityReport.Counts;
import dev.qastream.launcher.report.QualityReport.DocumentTiming;
import dev.qastream.launcher.report.QualityReport.Example;
import dev.qastream.launcher.report.QualityReport.Group;
import dev.qastream.launcher.report.QualityReport.Histogram;
import dev.qastream.launcher.report.QualityReport.Rejection;
import dev.qastream.launcher.report.QualityReport.Stats;
import dev.qastream.launcher.report.QualityReport.Timing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import static dev.qastream.launcher.report.Html.escape;
import static dev.qastream.launcher.report.Html.number;
import static dev.qastream.launcher.report.Html.percent;

/**
 * Renders a {@link QualityReport} as one self-contained HTML page: CSS inline, charts as inline SVG,
 * system fonts, no script and nothing fetched from a network, so it opens from the file.
 * Counts carry {@code data-metric} attributes so tools (and tests) can read them back.
 */
public final class HtmlReport {
    private static final String CSS = css();
    private static final int HALF = 540;
    private static final int FULL = 1120;

    private HtmlReport() {
    }

    public static String render(QualityReport r) {
        StringBuilder h = new StringBuilder(32_768);
        Counts c = r.counts();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>qastream · dataset quality report</title><style>").append(CSS).append("</style></head><body>")
                .append("<header><div class=\"wrap\"><h1>Dataset quality report</h1><p>qastream · generated ")
                .append(escape(Html.time(r.generatedAtMs()))).append(" · ").append(number(c.dataset()))
                .append(" conversations in the dataset</p></div></header><main class=\"wrap\">");
        kpis(h, c, r.deadLetters(), r.review());
        coverage(h, r.coverage());
        acceptance(h, r);
        scores(h, r.scores());
        h.append("<div class=\"grid2\">");
        questionTypes(h, r.questionTypes());
        completeness(h, r.metadataCompleteness());
        h.append("</div>");
        rejections(h, r.rejectionReasons(), c.rejected());
        conflicts(h, r.conflicts());
        h.append("<div class=\"grid2\">");
        deadLetters(h, r.deadLetters());
        ingestErrors(h, r.ingestErrors());
        h.append("</div>");
        stageDeadLetters(h, r.stageDeadLetters());
        timing(h, r.timing());
        h.append("</main><footer class=\"wrap\">Built from the topics ingest.documents, ingest.errors, generation.dlq, ")
                .append("scoring.scored, dataset.pairs and review.decisions (newest state per key) and the stages' dead-letter topics. ")
                .append("The same figures are in report.json.")
                .append("</footer></body></html>\n");
        return h.toString();
    }

    private static void kpis(StringBuilder h, Counts c, QualityReport.DeadLetters d, QualityReport.Review review) {
        h.append("<section class=\"kpis\">");
        kpi(h, "documents", "Documents", c.documents(), "", "ingested, all runs" + (c.documentsFailed() > 0
                ? "; " + number(c.documentsFailed()) + " failed" : ""));
        kpi(h, "chunks", "Chunks", c.chunks(), "", "in those documents");
        kpi(h, "pairs", "Pairs", c.pairs(), "", "generated and scored");
        kpi(h, "accepted", "Accepted", c.accepted(), "accent", percent(ReportState.rate(c.accepted(), c.pairs())) + " of pairs");
        kpi(h, "rejected", "Rejected", c.rejected(), "", percent(ReportState.rate(c.rejected(), c.pairs())) + " of pairs");
        kpi(h, "dataset", "Dataset", c.dataset(), "accent", "conversations");
        if (review != null) { // null in a report.json written before reviews existed
            kpi(h, "reviewed", "Reviewed", review.reviewed(), "", number(review.edited()) + " edited, "
                    + number(review.rejected()) + " rejected by a person");
        }
        kpi(h, "removals", "Removed", c.removals(), "", "pairs that left the dataset (chunk changed or deleted)");
        kpi(h, "deadLetters", "Dead letters", c.deadLetters(), d.open() > 0 ? "warn" : "",
                d.open() < c.deadLetters() ? "given up; " + number(d.open()) + " not re-driven" : "requests given up");
        kpi(h, "ingestErrors", "Errors", c.ingestErrors(), c.ingestErrors() > 0 ? "warn" : "", "unreadable inputs");
        h.append("</section>");
    }

    private static void kpi(StringBuilder h, String metric, String label, long value, String style, String note) {
        h.append("<div class=\"kpi ").append(style).append("\"><div class=\"label\">").append(escape(label)).append("</div>")
                .append("<div class=\"value\" data-metric=\"").append(metric).append("\" data-value=\"").append(value)
                .append("\">").append(number(value)).append("</div><div class=\"note\">").append(escape(note))
                .append("</div></div>");
    }

    private static void acceptance(StringBuilder h, QualityReport r) {
        Counts c = r.counts();
        h.append("<section class=\"card\"><h2>Acceptance</h2>");
        if (c.pairs() == 0) {
            h.append(empty("No pairs scored yet.")).append("</section>");
            return;
        }
        h.append("<div class=\"accept\"><div class=\"ringbox\">")
                .append(Svg.ring("share of pairs accepted", ReportState.rate(c.accepted(), c.pairs()), Svg.ACCEPT, 132))
                .append("<div class=\"note\">").append(number(c.accepted())).append(" of ").append(number(c.pairs()))
                .append(" accepted</div></div><div class=\"grow\"><h3>By tier</h3>")
                .append(Svg.split("accepted and rejected pairs by tier", r.acceptance().byTier().stream()
                        .map(g -> new Svg.Split(g.name(), g.accepted(), g.pairs() - g.accepted(),
                                percent(g.acceptanceRate()) + " of " + number(g.pairs()))).toList(),
                        Svg.ACCEPT, Svg.REJECT, 720))
                .append("<div class=\"legend\"><span class=\"sw acc\"></span>accepted <span class=\"sw rej\"></span>rejected</div>")
                .append("</div></div><h3>By tier, model and prompt version</h3><table><thead><tr><th>tier</th><th>model</th>")
                .append("<th>prompt version</th><th class=\"num\">pairs</th><th class=\"num\">accepted</th>")
                .append("<th class=\"num\">rate</th></tr></thead><tbody>");
        for (Combination x : r.acceptance().combinations()) {
            h.append("<tr><td>").append(escape(x.tier())).append("</td><td><code>").append(escape(x.model()))
                    .append("</code></td><td><code>").append(escape(x.promptVersion())).append("</code></td><td class=\"num\">")
                    .append(number(x.pairs())).append("</td><td class=\"num\">").append(number(x.accepted()))
                    .append("</td><td class=\"num\">").append(rateCell(x.acceptanceRate())).append("</td></tr>");
        }
        h.append("</tbody></table></section>");
    }

    private static void scores(StringBuilder h, List<Histogram> scores) {
        h.append("<section class=\"card\"><h2>Score distributions</h2>");
        List<Histogram> present = scores.stream().filter(s -> s.count() > 0).toList();
        if (present.isEmpty()) {
            h.append(empty("No pairs scored yet.")).append("</section>");
            return;
        }
        h.append("<div class=\"hists\">");
        for (Histogram s : present) {
            boolean overall = s.score().equals("overall");
            h.append("<div class=\"hist").append(overall ? " main" : "").append("\"><h3>").append(escape(s.score()))
                    .append(" <span class=\"muted\">mean ").append(Html.decimal(s.mean())).append(" · ")
                    .append(number(s.count())).append(" pairs</span></h3>")
                    .append(Svg.histogram(s.score() + " score histogram", s.bins(), overall ? Svg.PRIMARY : "#748ffc",
                            overall ? 400 : 300, overall ? 190 : 120))
                    .append("</div>");
        }
        h.append("</div>");
        String missing = scores.stream().filter(s -> s.count() == 0).map(Histogram::score).collect(Collectors.joining(", "));
        if (!missing.isEmpty()) {
            h.append("<p class=\"muted\">Not computed for any pair: ").append(escape(missing)).append(".</p>");
        }
        h.append("</section>");
    }

    private static void coverage(StringBuilder h, QualityReport.Coverage c) {
        h.append("<section class=\"card\"><h2>Coverage</h2>");
        if (c == null || c.documents().isEmpty()) {
            h.append(empty("No coverage yet: the coverage stage has not reported on any document.")).append("</section>");
            return;
        }
        h.append("<div class=\"stats\">");
        h.append("<div class=\"stat\" data-metric=\"coverage\" data-value=\"").append(c.covered())
                .append("\"><div class=\"label\">facts covered</div><div class=\"value\">").append(percent(c.ratio()))
                .append("</div><div class=\"note\">").append(number(c.covered())).append(" of ").append(number(c.facts()))
                .append(" facts in ").append(number(c.documents().size())).append(" documents</div></div>");
        stat(h, "diversity", Html.decimal(c.diversity()), "mean per document; target above 0.80");
        h.append("</div>");
        h.append(Svg.bars("facts covered per document", c.documents().stream().map(d -> new Svg.Bar(d.documentId(),
                d.covered(), Math.max(1, d.facts()), number(d.covered()) + "/" + number(d.facts()) + " · "
                + percent(d.ratio()) + " · div. " + Html.decimal(d.diversity()), Svg.PRIMARY)).toList(), FULL));
        if (c.uncovered().isEmpty()) {
            h.append(empty("Every fact is covered."));
        } else {
            h.append("<h3>Uncovered facts <span class=\"muted\">").append(number(c.uncoveredCount()))
                    .append(c.uncoveredCount() > c.uncovered().size() ? ", the first " + number(c.uncovered().size()) + " shown" : "")
                    .append("</span></h3><table><thead><tr><th>document</th><th>fact</th><th>value</th><th>why</th>")
                    .append("<th>detail</th></tr></thead><tbody>");
            for (QualityReport.Uncovered u : c.uncovered()) {
                h.append("<tr><td>").append(escape(u.documentId())).append("</td><td>").append(escape(u.fact()))
                        .append("</td><td>").append(escape(u.value() == null ? "" : u.value())).append("</td><td>")
                        .append(escape(u.reason())).append("</td><td>").append(escape(u.detail() == null ? "" : u.detail()))
                        .append("</td></tr>");
            }
            h.append("</tbody></table>");
        }
        h.append("</section>");
    }

    private static void questionTypes(StringBuilder h, List<Group> types) {
        h.append("<section class=\"card\"><h2>Question types</h2>");
        if (types.isEmpty()) {
            h.append(empty("No pairs scored yet."));
        } else {
            long max = types.stream().mapToLong(Group::pairs).max().orElse(1);
            h.append(Svg.bars("pairs by question type", types.stream().map(g -> new Svg.Bar(g.name(), g.pairs(), max,
                    number(g.pairs()) + " · " + percent(g.acceptanceRate()) + " acc.", Svg.PRIMARY)).toList(), HALF));
        }
        h.append("</section>");
    }

    private static void completeness(StringBuilder h, QualityReport.Completeness m) {
        h.append("<section class=\"card\"><h2>Metadata completeness</h2>");
        if (m.records() == 0) {
            h.append(empty("The dataset is empty."));
        } else {
            h.append("<p class=\"muted\">Share of the ").append(number(m.records()))
                    .append(" dataset records that carry each field.</p>")
                    .append(Svg.bars("metadata completeness", m.fields().stream().map(f -> new Svg.Bar(f.field(),
                            f.share(), 1, percent(f.share()), f.share() >= 0.9 ? Svg.ACCEPT
                            : f.share() >= 0.5 ? "#f59f00" : Svg.REJECT)).toList(), HALF));
        }
        h.append("</section>");
    }

    private static void rejections(StringBuilder h, List<Rejection> reasons, long rejected) {
        h.append("<section class=\"card\"><h2>Top rejection reasons</h2>");
        if (reasons.isEmpty()) {
            h.append(empty("No pair was rejected.")).append("</section>");
            return;
        }
        h.append("<p class=\"muted\">").append(number(rejected))
                .append(" rejected pairs; a pair with several defects counts under each.</p><table class=\"reasons\">")
                .append("<thead><tr><th>reason</th><th class=\"num\">pairs</th><th>example</th></tr></thead><tbody>");
        for (Rejection x : reasons.subList(0, Math.min(15, reasons.size()))) {
            h.append("<tr><td class=\"reason\">").append(escape(x.reason())).append("<div class=\"minibar\"><span style=\"width:")
                    .append(Math.round(100.0 * x.count() / Math.max(1, rejected))).append("%\"></span></div></td>")
                    .append("<td class=\"num\">").append(number(x.count())).append("</td><td>");
            if (x.examples().isEmpty()) {
                h.append("<span class=\"muted\">–</span>");
            } else {
                Example e = x.examples().get(0);
                h.append("<div class=\"qa\"><div><b>Q</b> ").append(escape(e.question())).append("</div><div><b>A</b> ")
                        .append(escape(e.answer())).append("</div><div class=\"muted small\"><code>").append(escape(e.pairKey()))
                        .append("</code>");
                if (!e.reason().isEmpty() && !e.reason().equals(x.reason())) {
                    h.append(" · ").append(escape(e.reason()));
                }
                h.append("</div></div>");
            }
            h.append("</td></tr>");
        }
        h.append("</tbody></table></section>");
    }

    private static void conflicts(StringBuilder h, QualityReport.Conflicts c) {
        h.append("<section class=\"card\"><h2>Cross-document conflicts and flags</h2>");
        if (c.pairs() == 0) {
            h.append(empty("No pair carries a flag: no two documents were seen to disagree.")).append("</section>");
            return;
        }
        h.append("<p class=\"muted\"><span data-metric=\"flaggedPairs\" data-value=\"").append(c.pairs()).append("\">")
                .append(number(c.pairs())).append("</span>").append(c.pairs() == 1 ? " pair carries" : " pairs carry")
                .append(" a flag").append(c.items().size() < c.pairs()
                        ? "; the first " + c.items().size() + " are listed" : "").append(".</p>")
                .append("<table><thead><tr><th>pair</th><th>document</th><th>flag</th></tr></thead><tbody>");
        for (Conflict x : c.items()) {
            h.append("<tr><td><code>").append(escape(x.pairKey())).append("</code></td><td>").append(escape(x.documentId()))
                    .append("</td><td>").append(escape(x.flag())).append("</td></tr>");
        }
        h.append("</tbody></table></section>");
    }

    private static void deadLetters(StringBuilder h, QualityReport.DeadLetters d) {
        h.append("<section class=\"card\"><h2>Dead letters <span class=\"badge\">").append(number(d.count()))
                .append("</span></h2>");
        if (d.count() > 0 && d.open() < d.count()) {
            h.append("<p class=\"muted\">").append(number(d.count() - d.open()))
                    .append(" re-driven since (<code>replay --dead-letters</code>); ").append(number(d.open()))
                    .append(" not.</p>");
        }
        if (d.count() == 0) {
            h.append(empty("No request was given up.")).append("</section>");
            return;
        }
        h.append(Svg.bars("dead letters by tier", d.byTier().stream().map(g -> new Svg.Bar(g.name(), g.pairs(),
                d.count(), number(g.pairs()), Svg.REJECT)).toList(), HALF));
        groupTable(h, "reason", d.byReason());
        h.append("<h3>Most recent</h3><ul class=\"recent\">");
        for (QualityReport.DeadLetter x : d.recent()) {
            h.append("<li><code>").append(escape(x.chunkId())).append("</code> <span class=\"muted\">")
                    .append(escape(String.join(" → ", x.tiersTried().isEmpty() ? List.of(x.tier()) : x.tiersTried())))
                    .append("</span><br>").append(escape(x.reason())).append("</li>");
        }
        h.append("</ul></section>");
    }

    private static void stageDeadLetters(StringBuilder h, QualityReport.StageDeadLetters d) {
        h.append("<section class=\"card\"><h2>Set aside by the stages <span class=\"badge\" data-metric=\"stageDeadLetters\" ")
                .append("data-value=\"").append(d.count()).append("\">").append(number(d.count())).append("</span></h2>")
                .append("<p class=\"muted\">Records a stage could not read or process: each is on the stage's ")
                .append("dead-letter topic as it was, with the reason in its headers, and the stage went on.</p>");
        groupTable(h, "topic", d.byTopic());
        if (d.count() == 0) {
            h.append(empty("Every record the stages met could be read and processed.")).append("</section>");
            return;
        }
        h.append("<h3>Most recent</h3><ul class=\"recent\">");
        for (QualityReport.StageDeadLetter x : d.recent()) {
            h.append("<li><code>").append(escape(x.topic())).append("</code> <span class=\"muted\">from ")
                    .append(escape(x.source())).append("</span><br>").append(escape(x.reason())).append("</li>");
        }
        h.append("</ul></section>");
    }

    private static void ingestErrors(StringBuilder h, QualityReport.IngestErrors e) {
        h.append("<section class=\"card\"><h2>Ingest errors <span class=\"badge\">").append(number(e.count()))
                .append("</span></h2>");
        if (e.count() == 0) {
            h.append(empty("Every input could be read.")).append("</section>");
            return;
        }
        groupTable(h, "reason", e.byReason());
        h.append("<h3>Most recent</h3><ul class=\"recent\">");
        for (QualityReport.IngestError x : e.recent()) {
            h.append("<li><code>").append(escape(x.path())).append("</code><br>").append(escape(x.reason())).append("</li>");
        }
        h.append("</ul></section>");
    }

    private static void groupTable(StringBuilder h, String what, List<Group> groups) {
        h.append("<table><thead><tr><th>").append(what).append("</th><th class=\"num\">count</th></tr></thead><tbody>");
        for (Group g : groups.subList(0, Math.min(10, groups.size()))) {
            h.append("<tr><td>").append(escape(g.name())).append("</td><td class=\"num\">").append(number(g.pairs()))
                    .append("</td></tr>");
        }
        h.append("</tbody></table>");
    }

    private static void timing(StringBuilder h, Timing t) {
        h.append("<section class=\"card\"><h2>Throughput and latency</h2>");
        if (t.documentsMeasured() == 0) {
            h.append(empty("No document has pairs yet.")).append("</section>");
            return;
        }
        h.append("<div class=\"stats\">");
        stat(h, "documents per minute", Html.rate(t.documentsPerMinute()), "over the " + number(t.documentsMeasured())
                + " documents with pairs of their newest version");
        stat(h, "pairs per minute", Html.rate(t.pairsPerMinute()), Html.duration(t.lastScoredMs() - t.firstIngestMs()) + " from first ingest to last score");
        stats(h, "ingest → first pair", t.toFirstPairMs());
        stats(h, "ingest → dataset", t.toDatasetMs());
        h.append("</div><h3>Pairs scored over time <span class=\"muted\">").append(escape(Html.time(t.firstIngestMs())))
                .append(" to ").append(escape(Html.time(t.lastScoredMs()))).append(", ")
                .append(escape(Html.duration(t.bucketMs()))).append(" per column</span></h3>")
                .append(Svg.columns("pairs scored over time", t.pairsScoredOverTime(), Svg.PRIMARY, FULL, 110))
                .append("<h3>Slowest documents</h3><table><thead><tr><th>document</th><th class=\"num\">pairs</th>")
                .append("<th class=\"num\">in dataset</th><th class=\"num\">to first pair</th><th class=\"num\">to dataset</th>")
                .append("</tr></thead><tbody>");
        for (DocumentTiming d : t.slowest()) {
            h.append("<tr><td>").append(escape(d.documentId())).append("</td><td class=\"num\">").append(number(d.pairs()))
                    .append("</td><td class=\"num\">").append(number(d.accepted())).append("</td><td class=\"num\">")
                    .append(Html.duration(d.toFirstPairMs())).append("</td><td class=\"num\">")
                    .append(Html.duration(d.toDatasetMs())).append("</td></tr>");
        }
        h.append("</tbody></table></section>");
    }

    private static void stats(StringBuilder h, String label, Stats s) {
        stat(h, label + " (median)", s.count() == 0 ? "–" : Html.duration(s.p50()),
                s.count() == 0 ? "no document yet" : "p90 " + Html.duration(s.p90()) + " · max " + Html.duration(s.max()));
    }

    private static void stat(StringBuilder h, String label, String value, String note) {
        h.append("<div class=\"stat\"><div class=\"label\">").append(escape(label)).append("</div><div class=\"value\">")
                .append(escape(value)).append("</div><div class=\"note\">").append(escape(note)).append("</div></div>");
    }

    private static String rateCell(double rate) {
        String cls = rate >= 0.75 ? "good" : rate >= 0.4 ? "fair" : "poor";
        return "<span class=\"pill " + cls + "\">" + percent(rate) + "</span>";
    }

    private static String empty(String message) {
        return "<p class=\"empty\">" + escape(message) + "</p>";
    }

    private static String css() {
        try (InputStream in = HtmlReport.class.getResourceAsStream("report.css")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("report.css missing from the launcher jar", e));
        }
    }

}
