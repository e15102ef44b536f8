package dev.qastream.launcher.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Small feature documents in the style of RAN feature descriptions, written for this test, a few per wave; and a
 * large folder of exported pages that are slow to read but cheap downstream (one chunk each).
 */
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

    /** One feature of the large folder: what it does, the one parameter that controls it and its counter. */
    private record Export(String title, String action, String mo, String parameter, int defaultValue, String counter) {
    }

    /**
     * The large folder: exported HTML pages, each a short feature description with a large embedded diagram (an
     * inline image, which ingest reads, checksums and parses, then drops): slow to read, one chunk each.
     */
    private static final List<Export> EXPORTS = List.of(
            new Export("Uplink Power Boost", "raises the uplink target power for cell-edge users", "EUtranCellFDD", "ulBoostOffset", 2, "pmUlBoostApplied"),
            new Export("Carrier Lock", "keeps a UE on its serving carrier during a voice call", "EUtranFreqRelation", "carrierLockTimer", 30, "pmCarrierLockHeld"),
            new Export("Idle Mode Priority", "orders the carriers an idle UE camps on", "EUtranFreqRelation", "cellReselectionPriority", 5, "pmIdlePriorityUsed"),
            new Export("Paging Storm Guard", "drops repeated pages to the same UE within a short interval", "Paging", "pagingDiscardTimer", 4, "pmPagingDiscarded"),
            new Export("Handover Hysteresis Tuning", "widens the margin a neighbour must exceed before a handover", "UeMeasControl", "hysteresisA3", 2, "pmHoHysteresisWidened"),
            new Export("Timing Advance Limit", "releases a UE whose timing advance shows it is beyond the cell range", "EUtranCellTDD", "maxTimingAdvance", 1282, "pmTaLimitReleases"),
            new Export("Admission Reserve", "keeps capacity free for emergency calls", "AdmissionControl", "emergencyReservePercent", 5, "pmAdmReserveUsed"),
            new Export("Backhaul Congestion Alarm", "raises an alarm when the transport link stays above a load", "TransportNetwork", "congestionAlarmLevel", 85, "pmBackhaulCongested"),
            new Export("Fast Dormancy Support", "moves an inactive smartphone to idle mode sooner", "RrcControl", "inactivityTimerFast", 5, "pmFastDormancyReleases"),
            new Export("Antenna Tilt Automation", "adjusts the electrical tilt from measured overshooting", "RetSubUnit", "tiltStepSize", 1, "pmTiltChanges"),
            new Export("Guard Band Operation", "runs a narrowband carrier inside the guard band of a wider one", "NbIotCell", "guardBandOffset", 3, "pmGuardBandUsers"),
            new Export("Silent Cell Detection", "restarts a cell that serves no traffic for a long time", "ENodeBFunction", "silentCellThreshold", 60, "pmSilentCellRestarts"),
            new Export("Voice Bundling", "packs several voice frames into one transport block", "QciProfile", "bundlingFactor", 2, "pmVoiceFramesBundled"),
            new Export("Cell Range Extension", "extends the coverage of a small cell with a bias", "EUtranCellRelation", "creBias", 6, "pmCreAttached"),
            new Export("Uplink Noise Floor Report", "reports the measured uplink noise floor per resource block", "SectorCarrier", "noiseReportPeriod", 15, "pmUlNoiseFloor"),
            new Export("Secondary Cell Deactivation", "deactivates an idle secondary cell of a carrier aggregate", "CarrierAggregation", "sCellDeactTimer", 8, "pmSCellDeactivations"));

    static final int LARGE_FOLDER_SIZE = EXPORTS.size();
    /** The large folder's folder in the inbox. */
    static final String LARGE_FOLDER = "exports/";

    /** Bytes of the embedded diagram in each page of the large folder. */
    private static final int DIAGRAM_BYTES = 4 * 1024 * 1024;

    /** The large folder: file name (under {@code exports/}) and text. */
    static List<Doc> largeFolder() {
        String diagram = diagram();
        List<Doc> docs = new ArrayList<>();
        for (Export e : EXPORTS) {
            docs.add(new Doc(LARGE_FOLDER + e.title().toLowerCase().replace(' ', '_') + ".html", "<!DOCTYPE html>\n<html><head><title>"
                    + e.title() + "</title></head><body>\n<h1>" + e.title() + "</h1>\n<p>" + e.title() + " " + e.action()
                    + ". It is set per cell in " + e.mo() + "." + e.parameter() + " (default " + e.defaultValue()
                    + ") and counted by " + e.counter() + ".</p>\n<figure><img alt=\"" + e.title()
                    + " signalling diagram\" src=\"data:image/png;base64," + diagram + "\"></figure>\n</body></html>\n"));
        }
        return docs;
    }

    /** The same bytes in every run (fault run and reference), so both read the same folder. */
    private static String diagram() {
        byte[] bytes = new byte[DIAGRAM_BYTES];
        new java.util.Random(42).nextBytes(bytes);
        return java.util.Base64.getEncoder().encodeToString(bytes);
    }

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
