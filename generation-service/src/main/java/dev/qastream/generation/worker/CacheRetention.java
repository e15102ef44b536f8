package dev.qastream.generation.worker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The retention rule of the generation cache: per chunk text (checksum) and model, only the entries of the
 * {@code keep} prompt versions written most recently are kept. A version's recency is the newest
 * {@code createdAtMs} among its entries (ties: the greater version name), so every view that has read the same
 * entries keeps the same ones, whatever order its partitions delivered them in. Entries that differ only in
 * backend or generation parameters belong to the same version and stay or go together, as do a coverage
 * follow-up's entries with their first pass's ({@link #firstPassVersion}). Pure: no I/O.
 */
public final class CacheRetention {
    private final int keepPromptVersions;

    public CacheRetention(int keepPromptVersions) {
        if (keepPromptVersions < 1) {
            throw new IllegalArgumentException("generation.cache.keep-prompt-versions must be at least 1, not " + keepPromptVersions);
        }
        this.keepPromptVersions = keepPromptVersions;
    }

    public int keepPromptVersions() {
        return keepPromptVersions;
    }

    /** One cached entry of a group, as the rule sees it. */
    public record Member(String key, String promptVersion, long createdAtMs) {
    }

    /** The group after an entry is admitted, and the keys it no longer holds (possibly the admitted one). */
    public record Outcome(List<Member> kept, List<String> evicted) {
    }

    /** The group of an entry: its chunk checksum and model, as one string (a NUL between, as in {@link dev.qastream.generation.CacheKey}). */
    public static String group(String chunkChecksum, String model) {
        return chunkChecksum + '\0' + model;
    }

    /** {@code incoming} written into a group holding {@code members}: what stays and what goes. */
    public Outcome admit(List<Member> members, Member incoming) {
        List<Member> all = new ArrayList<>(members.size() + 1);
        for (Member m : members) {
            if (!m.key().equals(incoming.key())) {
                all.add(m);
            }
        }
        all.add(incoming);
        Set<String> kept = newestVersions(all);
        List<Member> stay = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        for (Member m : all) {
            if (kept.contains(firstPassVersion(m.promptVersion()))) {
                stay.add(m);
            } else {
                gone.add(m.key());
            }
        }
        return new Outcome(stay, gone);
    }

    private Set<String> newestVersions(List<Member> members) {
        Map<String, Long> newest = new HashMap<>();
        for (Member m : members) {
            newest.merge(firstPassVersion(m.promptVersion()), m.createdAtMs(), Math::max);
        }
        Set<String> kept = new LinkedHashSet<>();
        newest.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()).reversed())
                .limit(keepPromptVersions)
                .forEach(e -> kept.add(e.getKey()));
        return kept;
    }

    /**
     * A follow-up's prompt version ("qa-3f9c1a+focus-12ab34") counts as its first pass's ("qa-3f9c1a"): a prompt's
     * follow-up entries stay and go with its first-pass entries instead of taking a kept version's place.
     */
    static String firstPassVersion(String promptVersion) {
        int plus = promptVersion.indexOf('+');
        return plus < 0 ? promptVersion : promptVersion.substring(0, plus);
    }

    /** A group's members as stored beside the entries: count, then key, version and time per member. */
    static byte[] encode(List<Member> members) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + members.size() * 96);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(members.size());
            for (Member m : members) {
                writeString(out, m.key());
                writeString(out, m.promptVersion());
                out.writeLong(m.createdAtMs());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Member> decode(byte[] stored) {
        if (stored == null) {
            return List.of();
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored));
            int n = in.readInt();
            List<Member> members = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                members.add(new Member(readString(in), readString(in), in.readLong()));
            }
            return members;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Not writeUTF: it is limited to 64 KB and encodes NUL specially; plain UTF-8 with a length is simpler.
    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
