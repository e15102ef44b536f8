package dev.qastream.launcher;

import java.util.List;
import java.util.Map;

/**
 * The meters the Grafana dashboard (deploy/grafana/dashboards/qastream.json) queries, by their Prometheus names,
 * with the Micrometer name the code registers them under. Tests check the dashboard against this list, this list
 * against the source tree, and the Kafka ones against a live scrape.
 */
final class DashboardMeters {
    /** Prometheus name -> Micrometer name as registered in src/main/java. */
    static final Map<String, String> PIPELINE = Map.ofEntries(
            Map.entry("qastream_ingest_documents_total", "qastream.ingest.documents"),
            Map.entry("qastream_ingest_chunks_total", "qastream.ingest.chunks"),
            Map.entry("qastream_ingest_errors_total", "qastream.ingest.errors"),
            Map.entry("qastream_ingest_bytes_total", "qastream.ingest.bytes"),
            Map.entry("qastream_ingest_chunks_removed_total", "qastream.ingest.chunks.removed"),
            Map.entry("qastream_ingest_documents_deleted_total", "qastream.ingest.documents.deleted"),
            Map.entry("qastream_ingest_documents_known", "qastream.ingest.documents.known"),
            Map.entry("qastream_ingest_scan_seconds", "qastream.ingest.scan"),
            Map.entry("qastream_generation_pairs_total", "qastream.generation.pairs"),
            Map.entry("qastream_generation_dead_letters_total", "qastream.generation.dead.letters"),
            Map.entry("qastream_generation_latency_seconds", "qastream.generation.latency"),
            Map.entry("qastream_generation_requests_total", "qastream.generation.requests"),
            Map.entry("qastream_generation_tokens_total", "qastream.generation.tokens"),
            Map.entry("qastream_generation_cache_total", "qastream.generation.cache"),
            Map.entry("qastream_generation_escalations_total", "qastream.generation.escalations"),
            Map.entry("qastream_generation_parse_failures_total", "qastream.generation.parse.failures"),
            Map.entry("qastream_generation_calls_lent_total", "qastream.generation.calls.lent"),
            Map.entry("qastream_scoring_pairs_total", "qastream.scoring.pairs"),
            Map.entry("qastream_scoring_batch_pairs", "qastream.scoring.batch.pairs"),
            Map.entry("qastream_scoring_embedding_seconds", "qastream.scoring.embedding"),
            Map.entry("qastream_scoring_judgements_total", "qastream.scoring.judgements"),
            Map.entry("qastream_dataset_pairs", "qastream.dataset.pairs"),
            Map.entry("qastream_sink_records_total", "qastream.sink.records"),
            Map.entry("qastream_sink_file_writes_total", "qastream.sink.file.writes"),
            Map.entry("qastream_coverage_covered", "qastream.coverage.covered"),
            Map.entry("qastream_coverage_facts", "qastream.coverage.facts"),
            Map.entry("qastream_coverage_diversity", "qastream.coverage.diversity"),
            Map.entry("qastream_coverage_pending_rounds", "qastream.coverage.pending.rounds"),
            Map.entry("qastream_coverage_followups_total", "qastream.coverage.followups"));

    /** Meters the dashboard may name before the code registers them (none today); the source-tree check allows them. */
    static final List<String> AWAITED = List.of();

    /** Kafka client and Streams meters (bound through Micrometer's Kafka binders) the dashboard queries. */
    static final List<String> KAFKA = List.of("kafka_producer_record_send_total", "kafka_consumer_fetch_manager_records_lag_max",
            "kafka_stream_thread_process_total");

    private DashboardMeters() {
    }
}
