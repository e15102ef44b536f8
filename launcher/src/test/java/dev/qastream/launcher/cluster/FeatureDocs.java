package dev.qastream.launcher.cluster;

import java.util.ArrayList;
import java.util.List;

/** Small feature documents in the style of RAN feature descriptions, written for this test, a few per wave. */
final class FeatureDocs {
    record Doc(String fileName, String text) {
    }

    private record Feature(String title, String mo, String product, String[] parameters, String counter) {
    }

    private static final List<List<Feature>> WAVES = List.of(
            List.of(new Feature("Uplink Interference Rejection", "EUtranCellFDD", "CXC4011001",
                            new String[] {"ulIrcEnabled", "ulIrcThreshold", "ulIrcHysteresis"}, "pmUlIrcActivations"),
                    new Feature("Downlink Power Sharing", "SectorCarrier", "CXC4011002",
                            new String[] {"dlPowerShareRatio", "dlPowerShareMode"}, "pmDlPowerShareChanges")),
            List.of(new Feature("Random Access Backoff", "EUtranCellTDD", "CXC4011003",
                            new String[] {"raBackoffIndicator", "raMaxPreambleTx", "raResponseWindow"}, "pmRaBackoffSent"),
                    new Feature("Neighbour Cell Blacklisting", "EUtranFreqRelation", "CXC4011004",
                            new String[] {"blacklistTimer", "blacklistMaxCells"}, "pmNcBlacklisted")),
            List.of(new Feature("Sleep Mode Scheduling", "ENodeBFunction", "CXC4011005",
                    new String[] {"sleepStartHour", "sleepEndHour", "sleepMinLoad"}, "pmSleepModeEntries")));

    private FeatureDocs() {
    }

    /** The documents of wave 2, 3 or 4. */
    static List<Doc> wave(int wave) {
        List<Doc> docs = new ArrayList<>();
        for (Feature f : WAVES.get(wave - 2)) {
            docs.add(new Doc(f.title().toLowerCase().replace(' ', '_') + ".md", text(f)));
        }
        return docs;
    }

    private static String text(Feature f) {
        StringBuilder b = new StringBuilder();
        b.append("DOCTITLE: ").append(f.title()).append('\n')
                .append("Product: ").append(f.product()).append('\n')
                .append("Feature State: Activated\n\n")
                .append("## Description\n")
                .append(f.title()).append(" lets the eNodeB adapt the ").append(f.mo())
                .append(" behaviour to the load of the cell. The UE sees no change in signalling; the eNodeB applies the ")
                .append("setting per cell when the feature is activated and reverts it when the feature is deactivated.\n\n")
                .append("## Parameters\n");
        int value = 3;
        for (String p : f.parameters()) {
            b.append("- **").append(f.mo()).append('.').append(p).append("**: controls ")
                    .append(p.replaceAll("([A-Z])", " $1").toLowerCase()).append(" for ").append(f.title()).append('\n')
                    .append("  - MO Class: ").append(f.mo()).append('\n')
                    .append("  - Valid Values: 0..").append(value * 20).append('\n')
                    .append("  - Default: ").append(value).append('\n');
            value += 4;
        }
        b.append("\n## Counters\n")
                .append("- **").append(f.counter()).append("**: number of times ").append(f.title())
                .append(" was applied in the cell, stepped once per event in the eNodeB.\n\n")
                .append("## Engineering Guidelines\n")
                .append("Activate ").append(f.title()).append(" in cells with high load first and watch ")
                .append(f.counter()).append(" for a week before changing ").append(f.mo()).append('.')
                .append(f.parameters()[0]).append(" from its default.\n");
        return b.toString();
    }
}
