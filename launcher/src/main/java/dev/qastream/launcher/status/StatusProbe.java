package dev.qastream.launcher.status;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.kafka.ConsumerLag;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.DocumentCoverage;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads what `status` shows from the cluster itself, so it works for the embedded stack, separate service
 * processes and a real cluster alike: counts by reading the topics (incrementally: each call reads only what
 * arrived since the last), lag per consumer group, and tokens from a /metrics endpoint when one answers.
 */
public final class StatusProbe implements AutoCloseable {
    private static final List<String> COUNTED = Stream.concat(Stream.of(Topics.INGEST_DOCUMENTS,
            Topics.INGEST_CHUNKS, Topics.INGEST_ERRORS, Topics.GENERATION_PAIRS, Topics.GENERATION_DLQ,
            Topics.SCORING_SCORED, Topics.DATASET_PAIRS, Topics.REVIEW_DECISIONS, Topics.COVERAGE_DOCUMENTS),
            Topics.STREAMS_DLQS.stream()).toList();
    private static final Pattern TOKENS = Pattern.compile("^(qastream_\\w*tokens\\w*)\\{([^}]*)}\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final ServiceContext ctx;
    private final String where;
    private final List<String> metricsUrls;
    private final Admin admin;
    private final ConsumerLag lag;
    private final KafkaConsumer<byte[], byte[]> reader;
    private final Deserializer<QaPair> pairs;
    private final Deserializer<ScoredPair> scored;
    private final Deserializer<DocumentCoverage> coverage;
    /** Facts and covered facts per document, from coverage.documents. */
    private final Map<String, long[]> coverageByDocument = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    // newest state per key of the compacted topics; records of the others
    private final Map<String, Set<String>> present = new HashMap<>();
    private final Set<String> acceptedKeys = new HashSet<>();
    private long deadLetters;
    private final java.util.Set<String> openDeadLetters = new java.util.HashSet<>();
    private long ingestErrors;
    private final Map<String, Long> stageDeadLetters = new java.util.LinkedHashMap<>();

    public StatusProbe(ServiceContext ctx, String where, List<String> metricsUrls) {
        this.ctx = ctx;
        this.where = where;
        this.metricsUrls = metricsUrls;
        this.admin = Admin.create(ctx.kafka().admin());
        this.lag = new ConsumerLag(ctx.kafka());
        this.reader = new KafkaConsumer<>(ctx.kafka().rawConsumer(null));
        this.pairs = ctx.topics().pairs.valueSerde().deserializer();
        this.scored = ctx.topics().scored.valueSerde().deserializer();
        this.coverage = ctx.topics().coverage.valueSerde().deserializer();
        Topics.STREAMS_DLQS.forEach(t -> stageDeadLetters.put(t, 0L));
        List<TopicPartition> partitions = new java.util.ArrayList<>();
        Set<String> existing = topicNames();
        for (String topic : COUNTED) {
            present.put(topic, new HashSet<>());
            if (existing.contains(topic)) {
                reader.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
        }
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
    }

    private Set<String> topicNames() {
        try {
            return admin.listTopics().names().get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot list topics at " + ctx.kafka().bootstrapServers() + ": " + e.getMessage(), e);
        }
    }

    public Snapshot snapshot() {
        readNewRecords();
        Map<String, Long> lags = new TreeMap<>();
        Map<String, Long> committed = new TreeMap<>();
        readGroups(lags, committed);
        return new Snapshot(System.currentTimeMillis(), where, size(Topics.INGEST_DOCUMENTS), size(Topics.INGEST_CHUNKS),
                size(Topics.GENERATION_PAIRS), size(Topics.SCORING_SCORED), acceptedKeys.size(),
                size(Topics.DATASET_PAIRS), reviewed(), deadLetters, ingestErrors, lags, committed, tokens(),
                Map.copyOf(stageDeadLetters), coverageByDocument.isEmpty() ? -1 : sum(0), coverageByDocument.isEmpty() ? -1 : sum(1));
    }

    private long sum(int index) {
        return coverageByDocument.values().stream().mapToLong(v -> v[index]).sum();
    }

    /** Scored pairs with a decision: a decision whose pair is gone is no progress. */
    private long reviewed() {
        Set<String> scoredKeys = present.get(Topics.SCORING_SCORED);
        return present.get(Topics.REVIEW_DECISIONS).stream().filter(scoredKeys::contains).count();
    }

    private long size(String topic) {
        return present.get(topic).size();
    }

    /** Up to the end offsets as of now; a busy topic is caught up on the next call. */
    private void readNewRecords() {
        Map<TopicPartition, Long> end = reader.endOffsets(reader.assignment());
        long deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline && end.entrySet().stream()
                .anyMatch(e -> reader.position(e.getKey()) < e.getValue())) {
            ConsumerRecords<byte[], byte[]> records = reader.poll(Duration.ofMillis(100));
            for (ConsumerRecord<byte[], byte[]> r : records) {
                count(r);
            }
            if (records.isEmpty() && end.entrySet().stream().allMatch(e -> reader.position(e.getKey()) >= e.getValue() - 1)) {
                break; // only commit markers left
            }
        }
    }

    private void count(ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
        switch (r.topic()) {
            case Topics.GENERATION_DLQ -> {
                // A null value marks the chunk's dead letter re-driven: only open ones are counted.
                if (r.value() == null) {
                    openDeadLetters.remove(key);
                } else {
                    openDeadLetters.add(key);
                }
                deadLetters = openDeadLetters.size();
            }
            case Topics.INGEST_ERRORS -> ingestErrors += r.value() == null ? 0 : 1;
            // Every record counts: one set aside may have had no value (a removal that could not be processed).
            case Topics.ROUTER_DLQ, Topics.SCORING_DLQ, Topics.SINK_DLQ, Topics.COVERAGE_DLQ -> stageDeadLetters.merge(r.topic(), 1L, Long::sum);
            case Topics.GENERATION_PAIRS -> {
                QaPair p = r.value() == null ? null : pairs.deserialize(r.topic(), r.value());
                track(r.topic(), key, p != null && !p.getRemoved());
            }
            case Topics.SCORING_SCORED -> {
                ScoredPair s = r.value() == null ? null : scored.deserialize(r.topic(), r.value());
                boolean live = s != null && !s.getPair().getRemoved();
                track(r.topic(), key, live);
                if (live && s.getAccepted()) {
                    acceptedKeys.add(key);
                } else {
                    acceptedKeys.remove(key);
                }
            }
            case Topics.COVERAGE_DOCUMENTS -> {
                DocumentCoverage c = r.value() == null ? null : coverage.deserialize(r.topic(), r.value());
                track(r.topic(), key, c != null);
                if (c == null) {
                    coverageByDocument.remove(key);
                } else {
                    coverageByDocument.put(key, new long[] {c.getFacts(), c.getCovered()});
                }
            }
            default -> track(r.topic(), key, r.value() != null);
        }
    }

    private void track(String topic, String key, boolean live) {
        if (live) {
            present.get(topic).add(key);
        } else {
            present.get(topic).remove(key);
        }
    }

    private void readGroups(Map<String, Long> lags, Map<String, Long> committed) {
        try {
            for (GroupListing g : admin.listGroups().all().get()) {
                if (!g.groupId().startsWith("qastream-")) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> offsets =
                        admin.listConsumerGroupOffsets(g.groupId()).partitionsToOffsetAndMetadata().get();
                Set<String> topics = new HashSet<>();
                long sum = 0;
                for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
                    if (e.getValue() != null) {
                        topics.add(e.getKey().topic());
                        sum += e.getValue().offset();
                    }
                }
                if (!topics.isEmpty()) {
                    lags.put(g.groupId(), lag.lag(g.groupId(), topics));
                    committed.put(g.groupId(), sum);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read consumer groups: " + e.getMessage(), e);
        }
    }

    /** Tokens so far per "tier model" from the first /metrics that answers; empty if none does or none reports them. */
    private Map<String, Double> tokens() {
        Map<String, Double> result = new TreeMap<>();
        for (String url : metricsUrls) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    continue;
                }
                for (String line : r.body().split("\n")) {
                    Matcher m = TOKENS.matcher(line);
                    if (m.find()) {
                        Map<String, String> labels = new HashMap<>();
                        Matcher l = LABEL.matcher(m.group(2));
                        while (l.find()) {
                            labels.put(l.group(1), l.group(2));
                        }
                        if (labels.containsKey("tier")) {
                            String name = labels.get("tier") + " " + labels.getOrDefault("model", "");
                            result.merge(name.trim(), Double.parseDouble(m.group(3)), Double::sum);
                        }
                    }
                }
            } catch (Exception unavailable) {
                // no metrics endpoint there: tokens show as "-"
            }
        }
        return result;
    }

    @Override
    public void close() {
        reader.close();
        lag.close();
        admin.close();
    }
}
