package dev.qastream.ingest.meta;

import dev.qastream.schemas.TermTiers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Classifies the technical terms of a text in four tiers:
 * <ol>
 *   <li>exact parameters: {@code MoClass.parameterName} written in the text, plus the parsed
 *       parameters given by the caller;</li>
 *   <li>configuration terms from a built-in list (QoS, DRX, TTI bundling, carrier aggregation...);</li>
 *   <li>network elements, interfaces and protocol layers from a built-in list (eNodeB, gNB, UE, AMF, RRC...);</li>
 *   <li>rare terms: other acronyms ({@code 3GPP}, {@code URLLC}) and CamelCase words
 *       ({@code EUtranCellFDD}) not in the lists above, not counters and not stop words.</li>
 * </ol>
 * One pass over the text: a tokenizer plus hash lookups (phrases matched longest first), so it is
 * cheap enough to run on every chunk.
 *
 * <p>Matching: list entries written as acronyms (two or more upper-case letters, or a digit) match
 * only tokens with the same letters written with at least two capitals ({@code QoS}, {@code QOS},
 * {@code UEs}), so ordinary lower-case words never match; other entries and multi-word phrases
 * match case-insensitively, with a plural {@code s} allowed.
 */
public final class TechnicalTerms {

    /** Tier lists plus counts for density: term occurrences and words. */
    public record Result(TermTiers tiers, int occurrences, int words) {
        /** Technical terms per 100 words. */
        public double density() {
            return words == 0 ? 0.0 : 100.0 * occurrences / words;
        }
    }

    static final List<String> CONFIGURATION_TERMS = List.of(
            "QoS", "GBR", "non-GBR", "MBR", "AMBR", "ARP", "QCI", "5QI", "DRX", "eDRX", "DTX", "PSM", "TTI",
            "TTI bundling", "carrier aggregation", "CA", "component carrier", "MIMO", "MU-MIMO", "SU-MIMO",
            "beamforming", "PRB", "RB", "RBG", "BWP", "bandwidth part", "SSB", "SS burst", "handover",
            "PCI", "RSRP", "RSRQ", "RSSI", "SINR", "SNR", "CQI", "PMI", "RI", "HARQ", "MCS", "BLER", "TDD",
            "FDD", "TDD pattern", "slot format", "numerology", "subcarrier spacing", "SCS", "cyclic prefix",
            "link adaptation", "power control", "PDCCH", "PDSCH", "PUSCH", "PUCCH", "PRACH", "RACH",
            "random access", "SRS", "CSI", "CSI-RS", "DMRS", "DM-RS", "PTRS", "PT-RS", "TRS", "CORESET",
            "search space", "aggregation level", "DCI", "UCI", "SPS", "configured grant", "ARFCN",
            "NR-ARFCN", "EARFCN", "timing advance", "measurement gap", "A1 event", "A2 event", "A3 event",
            "A4 event", "A5 event", "B1 event", "B2 event", "hysteresis", "time to trigger", "TTT",
            "cell reselection", "paging", "admission control", "load balancing", "MLB", "ANR",
            "neighbor relation", "neighbour relation", "DSS", "SON", "MRO", "RLF", "ROHC", "ciphering",
            "integrity protection", "PLMN", "TAC", "tracking area", "S-NSSAI", "NSSAI", "network slicing",
            "slice", "VoLTE", "VoNR", "CSFB", "SRVCC", "EN-DC", "NSA", "DRB", "SRB", "bearer",
            "split bearer", "scheduler", "proportional fair", "uplink TTI bundling", "inter-frequency",
            "intra-frequency", "inter-RAT", "MDT", "KPI", "PM counter", "TX power", "transmit power",
            "OFDM", "OFDMA", "SC-FDMA", "LDPC", "polar code", "modulation", "QPSK", "16QAM", "64QAM",
            "256QAM", "CFR", "DPD", "SSB periodicity", "SIB", "MIB", "SIB1", "PBCH", "PSS", "SSS",
            "RNTI", "C-RNTI", "TA", "SR", "BSR", "PHR", "CRC", "TBS", "transport block", "codeword",
            "layer mapping", "precoding", "TPC", "DAPS", "CHO", "conditional handover", "Xn handover",
            "N2 handover", "S1 handover", "X2 handover", "SUL");

    static final List<String> NETWORK_ELEMENTS = List.of(
            "eNodeB", "eNB", "gNB", "gNodeB", "ng-eNB", "en-gNB", "UE", "MME", "AMF", "SMF", "UPF", "AUSF",
            "UDM", "UDR", "PCF", "NRF", "NSSF", "NEF", "HSS", "PCRF", "SGSN", "GGSN", "CU", "DU", "RU", "RRU",
            "RRH", "BBU", "CU-CP", "CU-UP", "gNB-CU", "gNB-DU", "gNB-CU-CP", "gNB-CU-UP", "EPC", "5GC",
            "5G core", "core network", "S-GW", "P-GW", "SGW", "PGW", "PDN-GW", "SGW-C", "SGW-U", "PGW-C",
            "PGW-U", "RAN", "NG-RAN", "E-UTRAN", "E-UTRA", "UTRAN", "GERAN", "RIC", "near-RT RIC",
            "non-RT RIC", "SMO", "O-RU", "O-DU", "O-CU", "O-RAN", "base station", "IMS", "RRC", "PDCP",
            "RLC", "MAC", "PHY", "NAS", "SDAP", "S1", "S1-U", "S1-MME", "X2", "Xn", "F1", "F1-C", "F1-U",
            "E1", "E2", "NG", "NG-C", "NG-U", "N2", "N3", "N4", "N6", "Uu", "PC5", "S1AP", "NGAP", "X2AP",
            "XnAP", "F1AP", "E1AP", "E2AP", "GTP", "GTP-U", "SCTP", "FAPI", "nFAPI", "eCPRI", "CPRI",
            "fronthaul", "backhaul", "midhaul", "LTE", "NR", "5G NR", "UMTS", "GSM", "NB-IoT", "LTE-M");

    private static final Set<String> STOP_WORDS = Set.of(
            "I", "A", "OK", "NOTE", "NOTES", "TODO", "FIXME", "AND", "OR", "NOT", "THE", "IF", "IS", "IN", "ON",
            "TO", "OF", "FOR", "BY", "AS", "AT", "ALL", "NO", "YES", "ID", "II", "III", "IV", "VI", "VII", "VIII",
            "IX", "XI", "XII", "TBD", "NA", "WARNING", "ERROR", "INFO", "DEBUG", "README", "MHz", "GHz", "kHz",
            "dB", "dBm", "dBi", "dBFS", "Mbps", "Gbps", "Kbps", "kbps", "Mbit", "Gbit", "MiB", "GiB", "KiB",
            "MB", "GB", "KB", "TB", "CPU", "GPU", "RAM", "USB", "PC", "OS", "API", "URL", "HTTP", "HTTPS",
            "PDF", "HTML", "CSV", "JSON", "YAML", "XML", "EOF", "FAQ", "NB", "AM", "PM", "UTC", "GMT",
            "MO", "DL", "UL", "TX", "RX");

    private static final int TIER4_LIMIT = 100;

    /** Single-token acronym entries keyed by upper case. */
    private static final Map<String, Entry> ACRONYMS = new HashMap<>();
    /** Single-token word entries keyed by lower case. */
    private static final Map<String, Entry> WORDS = new HashMap<>();
    /** Multi-token phrases keyed by their first token in lower case, longest first. */
    private static final Map<String, List<Entry>> PHRASES = new HashMap<>();
    private static final Set<String> STOP_UPPER = new HashSet<>();

    private record Entry(String canonical, int tier, String[] tokens) {}

    static {
        register(CONFIGURATION_TERMS, 2);
        register(NETWORK_ELEMENTS, 3);
        for (List<Entry> list : PHRASES.values()) {
            list.sort((a, b) -> Integer.compare(b.tokens.length, a.tokens.length));
        }
        for (String s : STOP_WORDS) {
            STOP_UPPER.add(s.toUpperCase(Locale.ROOT));
        }
    }

    private static void register(List<String> terms, int tier) {
        for (String term : terms) {
            List<String> tokens = tokenize(term);
            Entry e = new Entry(term, tier, tokens.stream().map(t -> t.toLowerCase(Locale.ROOT)).toArray(String[]::new));
            if (tokens.size() > 1) {
                PHRASES.computeIfAbsent(e.tokens[0], k -> new ArrayList<>()).add(e);
            } else if (isAcronymEntry(term)) {
                ACRONYMS.putIfAbsent(term.toUpperCase(Locale.ROOT), e);
            } else {
                String lower = term.toLowerCase(Locale.ROOT);
                WORDS.putIfAbsent(lower, e);
                WORDS.putIfAbsent(lower + "s", e); // plural, registered up front: no second lookup per word
            }
        }
    }

    private TechnicalTerms() {}

    /** Classifies the terms of a text; {@code parameters} are qualified names of parsed parameters (tier 1). */
    public static Result classify(String text, Collection<String> parameters) {
        Set<String> tier1 = new LinkedHashSet<>();
        Set<String> tier2 = new LinkedHashSet<>();
        Set<String> tier3 = new LinkedHashSet<>();
        Set<String> tier4 = new LinkedHashSet<>();
        int occurrences = 0;

        // Tier 1 first; the tokens inside those references are not classified again.
        List<int[]> spans = new ArrayList<>();
        ParameterExtractor.scanReferences(text, (s, e) -> {
            tier1.add(text.substring(s, e));
            spans.add(new int[] {s, e});
        });
        occurrences += spans.size();
        Set<String> bareParameterNames = new HashSet<>();
        for (String p : parameters) {
            if (tier1.add(p)) {
                occurrences++;
            }
            bareParameterNames.add(p.substring(p.lastIndexOf('.') + 1));
        }

        Tokens tokens = new Tokens(text);
        int spanIndex = 0;
        for (int i = 0; i < tokens.size; i++) {
            int start = tokens.starts[i];
            while (spanIndex < spans.size() && spans.get(spanIndex)[1] <= start) {
                spanIndex++;
            }
            if (spanIndex < spans.size() && spans.get(spanIndex)[0] <= start) {
                continue;
            }
            String lower = tokens.lower(i);
            Entry phrase = matchPhrase(tokens, i, lower);
            if (phrase != null) {
                (phrase.tier == 2 ? tier2 : tier3).add(phrase.canonical);
                occurrences++;
                i += phrase.tokens.length - 1;
                continue;
            }
            int caps = tokens.capitals(i);
            String token = caps > 0 || tokens.hasDigit(i) ? tokens.original(i) : lower;
            Entry single = matchSingle(token, lower, caps);
            if (single == null && token.indexOf('-') > 0) {
                // "eNodeB-based", "UE-specific": classify the hyphenated parts
                for (String part : token.split("-")) {
                    Entry e = matchSingle(part, part.toLowerCase(Locale.ROOT), capitals(part));
                    if (e != null) {
                        (e.tier == 2 ? tier2 : tier3).add(e.canonical);
                        occurrences++;
                    }
                }
                continue;
            }
            if (single != null) {
                (single.tier == 2 ? tier2 : tier3).add(single.canonical);
                occurrences++;
            } else if (caps > 0 && isRareTerm(token) && !bareParameterNames.contains(token)) {
                if (tier4.size() < TIER4_LIMIT || tier4.contains(token)) {
                    tier4.add(token);
                }
                occurrences++;
            }
        }
        int words = tokens.words;
        TermTiers tiers = TermTiers.newBuilder()
                .setTier1ExactParams(List.copyOf(tier1))
                .setTier2ConfigTerms(List.copyOf(tier2))
                .setTier3NetworkElements(List.copyOf(tier3))
                .setTier4RareTerms(List.copyOf(tier4))
                .build();
        return new Result(tiers, occurrences, words);
    }

    private static Entry matchPhrase(Tokens tokens, int i, String first) {
        List<Entry> candidates = PHRASES.get(first);
        if (candidates == null) {
            return null;
        }
        outer:
        for (Entry e : candidates) {
            if (i + e.tokens.length > tokens.size) {
                continue;
            }
            for (int k = 1; k < e.tokens.length; k++) {
                String t = tokens.lower(i + k);
                boolean last = k == e.tokens.length - 1;
                if (!t.equals(e.tokens[k]) && !(last && t.length() == e.tokens[k].length() + 1 && t.endsWith("s")
                        && t.startsWith(e.tokens[k]))) {
                    continue outer;
                }
            }
            return e;
        }
        return null;
    }

    private static Entry matchSingle(String token, String lower, int caps) {
        if (caps >= 2) {
            String upper = token.toUpperCase(Locale.ROOT);
            Entry e = ACRONYMS.get(upper);
            if (e == null && upper.length() > 2 && token.endsWith("s")) {
                e = ACRONYMS.get(upper.substring(0, upper.length() - 1)); // UEs, gNBs, PRBs
            }
            if (e != null) {
                return e;
            }
        } else if (token != lower && hasDigit(token)) {
            Entry e = ACRONYMS.get(token.toUpperCase(Locale.ROOT));
            if (e != null && e.canonical.equals(token)) {
                return e; // "S1", "X2": exact spelling only
            }
        }
        return WORDS.get(lower);
    }

    /** Acronyms (two or more capitals, digits allowed) and CamelCase words, minus stop words and counters. */
    static boolean isRareTerm(String token) {
        int n = token.length();
        if (n < 2 || n > 40 || STOP_UPPER.contains(token.toUpperCase(Locale.ROOT)) || CounterExtractor.isCounter(token)) {
            return false;
        }
        int caps = 0;
        boolean lower = false;
        boolean camel = false;
        for (int i = 0; i < n; i++) {
            char c = token.charAt(i);
            if (Character.isUpperCase(c)) {
                caps++;
                if (i > 0 && Character.isLowerCase(token.charAt(i - 1))) {
                    camel = true;
                }
            } else if (Character.isLowerCase(c)) {
                lower = true;
            }
        }
        if (!lower) {
            return caps >= 2 && n <= 12; // acronym
        }
        return camel && n >= 4 && Character.isLetter(token.charAt(0)) && token.indexOf('_') < 0;
    }

    private static boolean isAcronymEntry(String term) {
        return capitals(term) >= 2 || hasDigit(term);
    }

    private static int capitals(String s) {
        int caps = 0;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isUpperCase(s.charAt(i))) {
                caps++;
            }
        }
        return caps;
    }

    private static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> tokenize(String text) {
        Tokens t = new Tokens(text);
        List<String> out = new ArrayList<>(t.size);
        for (int i = 0; i < t.size; i++) {
            out.add(t.original(i));
        }
        return out;
    }

    /**
     * Tokens of letters and digits, keeping inner hyphens and underscores ({@code S-GW}, {@code CU-CP},
     * {@code dl_bler}), as offsets into the text; the text is lower-cased once, not per token.
     */
    private static final class Tokens {
        final String text;
        final String lowerText;
        int[] starts = new int[64];
        int[] ends = new int[64];
        int size;
        int words;

        Tokens(String text) {
            this.text = text;
            String lowered = text.toLowerCase(Locale.ROOT);
            this.lowerText = lowered.length() == text.length() ? lowered : null;
            int n = text.length();
            int i = 0;
            while (i < n) {
                char c = text.charAt(i);
                if (!Character.isLetterOrDigit(c)) {
                    i++;
                    continue;
                }
                int start = i;
                boolean letter = false;
                while (i < n) {
                    char d = text.charAt(i);
                    if (Character.isLetterOrDigit(d)) {
                        letter |= Character.isLetter(d);
                        i++;
                    } else if ((d == '-' || d == '_') && i + 1 < n && Character.isLetterOrDigit(text.charAt(i + 1))) {
                        i++;
                    } else {
                        break;
                    }
                }
                if (size == starts.length) {
                    starts = java.util.Arrays.copyOf(starts, size * 2);
                    ends = java.util.Arrays.copyOf(ends, size * 2);
                }
                starts[size] = start;
                ends[size] = i;
                size++;
                if (letter) {
                    words++;
                }
            }
        }

        String original(int i) {
            return text.substring(starts[i], ends[i]);
        }

        String lower(int i) {
            return lowerText != null ? lowerText.substring(starts[i], ends[i]) : original(i).toLowerCase(Locale.ROOT);
        }

        int capitals(int i) {
            int caps = 0;
            for (int k = starts[i]; k < ends[i]; k++) {
                if (Character.isUpperCase(text.charAt(k))) {
                    caps++;
                }
            }
            return caps;
        }

        boolean hasDigit(int i) {
            for (int k = starts[i]; k < ends[i]; k++) {
                if (Character.isDigit(text.charAt(k))) {
                    return true;
                }
            }
            return false;
        }
    }
}
