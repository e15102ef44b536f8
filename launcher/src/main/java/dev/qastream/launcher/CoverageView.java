package dev.qastream.launcher;

import dev.qastream.schemas.DocumentCoverage;
import dev.qastream.schemas.KindCoverage;
import dev.qastream.schemas.UncoveredFact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** What `coverage` prints: overall, per fact kind, per document, and each uncovered fact with why. Pure. */
final class CoverageView {
    private static final int BAR = 20;

    private CoverageView() {
    }

    static List<String> render(List<DocumentCoverage> documents, boolean uncoveredOnly) {
        List<String> out = new ArrayList<>();
        List<DocumentCoverage> docs = documents.stream().sorted(Comparator.comparing(DocumentCoverage::getDocumentId)).toList();
        long facts = docs.stream().mapToLong(DocumentCoverage::getFacts).sum();
        long covered = docs.stream().mapToLong(DocumentCoverage::getCovered).sum();
        if (docs.isEmpty()) {
            out.add("no coverage yet (coverage.documents is empty: is the coverage stage running, and any document ingested?)");
            return out;
        }
        double diversity = docs.stream().mapToDouble(DocumentCoverage::getDiversity).average().orElse(0);
        out.add(String.format(Locale.ROOT, "coverage %s %d of %d facts in %d documents; diversity %.2f (mean; target > 0.80)",
                bar(covered, facts), covered, facts, docs.size(), diversity));
        out.add("");
        out.add(String.format("%-22s %7s %7s  %s", "fact kind", "facts", "covered", ""));
        Map<String, long[]> kinds = new TreeMap<>();
        for (DocumentCoverage d : docs) {
            for (KindCoverage k : d.getKinds()) {
                long[] v = kinds.computeIfAbsent(k.getKind(), x -> new long[2]);
                v[0] += k.getFacts();
                v[1] += k.getCovered();
            }
        }
        kinds.forEach((kind, v) -> out.add(String.format("%-22s %7d %7d  %s", kind, v[0], v[1], bar(v[1], v[0]))));
        out.add("");
        out.add(String.format("%-40s %6s %7s  %-27s %9s %10s", "document", "facts", "covered", "", "diversity", "follow-ups"));
        for (DocumentCoverage d : docs) {
            if (uncoveredOnly && d.getUncovered().isEmpty()) {
                continue;
            }
            out.add(String.format(Locale.ROOT, "%-40s %6d %7d  %-27s %9.2f %10d", d.getDocumentId(), d.getFacts(), d.getCovered(),
                    bar(d.getCovered(), d.getFacts()), d.getDiversity(), d.getFollowUps()));
            for (UncoveredFact u : d.getUncovered()) {
                out.add("    " + describe(u));
            }
        }
        return out;
    }

    /** "the default value of X (false): answered wrongly — pair#3: answer says true; the document says false". */
    static String describe(UncoveredFact u) {
        String value = u.getValue() == null ? "" : " (" + u.getValue() + ")";
        return u.getText() + value + ": " + u.getReason() + (u.getDetail() == null ? "" : " - " + u.getDetail());
    }

    static String bar(long part, long whole) {
        double f = whole <= 0 ? 1 : Math.min(1, (double) part / whole);
        int filled = (int) Math.round(f * BAR);
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + String.format("%3d%%", Math.round(f * 100));
    }
}
