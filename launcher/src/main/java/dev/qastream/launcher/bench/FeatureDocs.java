package dev.qastream.launcher.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Synthetic feature documents in the style of RAN feature documentation (title block, Description, Dependencies,
 * Feature Operation, a long Parameters section of {@code MoClass.paramName} entries with MO class, valid values
 * and default, Counters {@code pmXxx}, KPIs, Engineering Guidelines), of a chosen size. Seeded: the same
 * arguments write the same bytes, so runs compare.
 */
final class FeatureDocs {
    private static final String[] MO_CLASSES = {"EUtranCellFDD", "EUtranCellTDD", "NRCellDU", "NRCellCU", "GNBDUFunction",
            "ENodeBFunction", "EUtranFreqRelation", "NRFreqRelation", "UlPowerControl", "SectorCarrier", "QciProfile",
            "RadioBearerTable", "Paging", "DrxProfile", "LoadBalancingFunction", "AnrFunction"};
    private static final String[] FIRST = {"ul", "dl", "paging", "drx", "handover", "admission", "load", "anr", "mimo",
            "carrier", "bearer", "rach", "srs", "pucch", "pusch", "pdcch", "cqi", "harq", "tti", "measurement"};
    private static final String[] MIDDLE = {"Power", "Threshold", "Offset", "Timer", "Window", "Weight", "Margin", "Limit",
            "Bundling", "Boost", "Priority", "Ratio", "Hysteresis", "Interval", "Step", "Target"};
    private static final String[] LAST = {"Enabled", "Value", "Ms", "Db", "Dbm", "Percent", "Count", "Max", "Min", "Level"};
    private static final String[] SUBJECTS = {"The eNodeB", "The gNB", "The UE", "The scheduler", "The MME", "The AMF",
            "The feature", "Link adaptation", "Admission control", "The radio unit"};
    private static final String[] VERBS = {"evaluates", "adjusts", "limits", "reports", "measures", "defers", "prioritises",
            "bundles", "releases", "schedules"};
    private static final String[] OBJECTS = {"the uplink transmission power", "the paging records of one frame",
            "the number of admitted bearers", "the RSRP of the serving cell", "the HARQ retransmissions",
            "the DRX cycle of idle UEs", "the load of neighbouring cells", "the measurement gaps",
            "the random access preambles", "the channel quality reports"};
    private static final String[] CONDITIONS = {"when the cell load exceeds the threshold", "every 200 ms",
            "after a handover", "at each paging occasion", "when the UE reaches the cell edge",
            "if the feature is activated", "for GBR bearers only", "while the timer runs"};

    private FeatureDocs() {
    }

    /** Writes {@code count} documents of about {@code bytes} each under {@code dir}; returns their paths. */
    static List<Path> write(Path dir, int count, long bytes) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int d = 0; d < count; d++) {
            Path file = dir.resolve(String.format(Locale.ROOT, "batch%d/%02d_%05d-LZA701%04d_1Uen.md", d / 20, d, 22100 + d, d));
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                document(w, d, bytes);
            }
            files.add(file);
        }
        return files;
    }

    private static void document(Writer w, int index, long bytes) throws IOException {
        Random r = new Random(31L * index + 7);
        String title = title(r, index);
        StringBuilder head = new StringBuilder();
        head.append("DOCTITLE: ").append(title).append('\n')
                .append(String.format(Locale.ROOT, "Product: CXC40%05d, CXC40%05d%n", 10000 + index, 20000 + index))
                .append("Feature State: ").append(r.nextInt(4) == 0 ? "Obsolete" : "Active").append("\n\n")
                .append("## Description\n").append(paragraph(r, 6)).append("\n\n")
                .append("## Dependencies\n");
        for (int i = 0; i < 3; i++) {
            head.append("- ").append(title(r, r.nextInt(1000))).append(": ").append(sentence(r)).append('\n');
        }
        head.append("\n## Feature Operation\n").append(paragraph(r, 8)).append("\n\n");
        w.write(head.toString());
        long written = head.length();
        // Most of the size: parameters, in sections of a few hundred entries, each with a short operation note.
        long paramsUntil = bytes * 9 / 10;
        int section = 0;
        while (written < paramsUntil) {
            StringBuilder s = new StringBuilder();
            s.append(section == 0 ? "## Parameters\n" : "## Parameters (part " + (section + 1) + ")\n");
            for (int i = 0; i < 200 && written + s.length() < paramsUntil; i++) {
                parameter(s, r);
            }
            s.append('\n');
            w.write(s.toString());
            written += s.length();
            section++;
        }
        StringBuilder tail = new StringBuilder("## Counters\n");
        while (written + tail.length() < bytes * 97 / 100) {
            tail.append("- pm").append(capital(pick(r, FIRST))).append(pick(r, MIDDLE)).append(pick(r, LAST))
                    .append(": Number of times ").append(lower(sentence(r))).append('\n');
        }
        tail.append("\n## KPIs\n- ").append(title).append(" success rate: ").append(sentence(r)).append('\n')
                .append("\n## Engineering Guidelines\n");
        while (written + tail.length() < bytes) {
            tail.append(paragraph(r, 4)).append("\n\n");
        }
        w.write(tail.toString());
    }

    private static void parameter(StringBuilder s, Random r) {
        String mo = pick(r, MO_CLASSES);
        String name = pick(r, FIRST) + pick(r, MIDDLE) + pick(r, LAST);
        s.append("- **").append(mo).append('.').append(name).append("**: ").append(sentence(r)).append('\n')
                .append("  - MO Class: ").append(mo).append('\n');
        if (name.endsWith("Enabled")) {
            s.append("  - Valid Values: false (disabled), true (enabled)\n  - Default: ")
                    .append(r.nextBoolean()).append('\n');
        } else {
            int low = -r.nextInt(150);
            int high = low + 1 + r.nextInt(300);
            String unit = name.endsWith("Ms") ? " ms" : name.endsWith("Dbm") ? " dBm" : name.endsWith("Db") ? " dB"
                    : name.endsWith("Percent") ? " %" : "";
            s.append("  - Valid Values: ").append(low).append(" to ").append(high).append(unit).append('\n')
                    .append("  - Default: ").append(low + r.nextInt(high - low + 1)).append(unit).append('\n');
        }
    }

    private static String title(Random r, int index) {
        return capital(pick(r, FIRST)) + " " + pick(r, MIDDLE) + " " + pick(r, new String[] {"Control", "Management",
                "Optimization", "Handling", "Coordination"}) + " " + index;
    }

    private static String paragraph(Random r, int sentences) {
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            p.append(i == 0 ? "" : " ").append(sentence(r));
        }
        return p.toString();
    }

    private static String sentence(Random r) {
        return pick(r, SUBJECTS) + " " + pick(r, VERBS) + " " + pick(r, OBJECTS) + " " + pick(r, CONDITIONS) + ".";
    }

    private static String pick(Random r, String[] words) {
        return words[r.nextInt(words.length)];
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String lower(String s) {
        return Character.toLowerCase(s.charAt(0)) + s.substring(1, s.length() - 1);
    }
}
