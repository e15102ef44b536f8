package dev.qastream.ingest;

import dev.qastream.ingest.chunk.Chunker;
import dev.qastream.ingest.parse.DocumentParsers;
import dev.qastream.ingest.parse.ParsedDocument;
import dev.qastream.ingest.parse.UnreadableDocumentException;
import dev.qastream.runtime.Service;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.ServiceMain;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.DocumentRecord;
import dev.qastream.schemas.DocumentStatus;
import dev.qastream.schemas.IngestError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Watches the inbox and publishes what changed: a new file is parsed, chunked and published; a changed
 * file re-sends only the chunks whose text changed and tombstones those that disappeared; a deleted file
 * tombstones all its chunks; an unchanged file (checksum as recorded in ingest.documents) sends nothing.
 * A file that cannot be read becomes one error record with a reason, and ingest goes on.
 */
public final class IngestService implements Service {
    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    /** Documents per transaction: amortises the commit without holding much in flight. */
    private static final int DOCUMENTS_PER_TRANSACTION = 100;

    private final ServiceContext ctx;
    private final Inbox inbox;
    private final Chunker chunker;
    private final long maxBytes;
    private final long pollMs;
    private final IngestErrorLog errorLog;
    private final Counter documentsCounter;
    private final Counter chunksCounter;
    private final Counter errorsCounter;
    private final Set<String> reportedLinks = new HashSet<>();
    private DocumentStates states;
    private DocumentPublisher publisher;
    private Thread watcher;
    private volatile boolean running;
    private volatile ScanReport total = ScanReport.empty();

    /** Runs this service alone against the cluster and registry in the configuration. */
    public static void main(String[] args) {
        ServiceMain.run(args, IngestService::new);
    }

    public IngestService(ServiceContext ctx) {
        this.ctx = ctx;
        this.inbox = new Inbox(ctx.config().path("inbox"), ctx.config().longValue("ingest.settle-ms"));
        this.chunker = new Chunker(ctx.config().integer("ingest.max-tokens"), ctx.config().integer("ingest.overlap-tokens"));
        this.maxBytes = ctx.config().longValue("ingest.max-file-mb") * 1024 * 1024;
        this.pollMs = ctx.config().longValue("ingest.poll-interval-ms");
        this.errorLog = new IngestErrorLog(ctx.config().path("out").resolve("ingest-errors.jsonl"));
        MeterRegistry m = ctx.meters();
        this.documentsCounter = Counter.builder("qastream.ingest.documents").register(m);
        this.chunksCounter = Counter.builder("qastream.ingest.chunks").register(m);
        this.errorsCounter = Counter.builder("qastream.ingest.errors").register(m);
    }

    @Override
    public String name() {
        return "ingest";
    }

    /** Restores what was already published and opens the transactional producer; does not watch yet. */
    public synchronized void open() {
        if (publisher == null) {
            states = DocumentStates.load(ctx);
            publisher = new DocumentPublisher(ctx, "qastream-ingest-0");
            log.info("ingest: {} documents known from earlier runs; watching {}", states.size(), inbox.root());
        }
    }

    @Override
    public void start() {
        open();
        running = true;
        watcher = new Thread(this::watch, "ingest-watcher");
        watcher.start();
    }

    private void watch() {
        while (running) {
            try {
                scanOnce();
                Thread.sleep(pollMs);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("ingest: scan failed, retrying in 5 s", e);
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Scans until no file found is still settling; for batch runs. */
    public ScanReport scanUntilSettled() throws InterruptedException {
        ScanReport report = ScanReport.empty();
        do {
            report = report.plus(scanOnce());
            if (report.pending() > 0) {
                Thread.sleep(Math.min(pollMs, 250));
            }
        } while (report.pending() > 0);
        return report;
    }

    /** One pass over the inbox. */
    public synchronized ScanReport scanOnce() {
        open();
        long now = System.currentTimeMillis();
        List<Inbox.Entry> entries = inbox.list();
        Set<String> present = new HashSet<>();
        int[] c = new int[7]; // ingested, unchanged, deleted, errors, chunksSent, chunksRemoved, pending
        List<Runnable> afterCommit = new ArrayList<>();
        int inTransaction = 0;
        for (Inbox.Entry e : entries) {
            present.add(e.documentId());
            if (e.escapesInbox()) {
                if (reportedLinks.add(e.documentId())) {
                    publisher.begin();
                    error(e.documentId(), "symbolic link points outside the inbox (or nowhere); not followed", null);
                    c[3]++;
                }
                continue;
            }
            if (!inbox.settled(e, now)) {
                c[6]++;
                continue;
            }
            inTransaction += ingestFile(e, c, afterCommit);
            if (inTransaction >= DOCUMENTS_PER_TRANSACTION) {
                commit(afterCommit);
                inTransaction = 0;
            }
        }
        for (String gone : states.ids()) {
            if (!present.contains(gone)) {
                c[5] += delete(gone, afterCommit);
                c[2]++;
            }
        }
        commit(afterCommit);
        ScanReport report = new ScanReport(c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
        if (report.changedAnything()) {
            log.info("ingest: {} new or changed, {} deleted, {} errors; {} chunks sent, {} removed",
                    report.ingested(), report.deleted(), report.errors(), report.chunksSent(), report.chunksRemoved());
        }
        documentsCounter.increment(report.ingested());
        chunksCounter.increment(report.chunksSent());
        total = total.plus(report);
        return report;
    }

    /** Returns 1 when something was written into the open transaction. */
    private int ingestFile(Inbox.Entry e, int[] c, List<Runnable> afterCommit) {
        String id = e.documentId();
        DocumentRecord previous = states.get(id);
        if (e.size() > maxBytes) {
            String checksum = "size:" + e.size();
            if (previous != null && checksum.equals(previous.getChecksum())) {
                c[1]++;
                return 0;
            }
            fail(id, checksum, e.size(), previous, String.format("file is %.1f MB, larger than the %d MB limit (ingest.max-file-mb)",
                    e.size() / 1048576.0, maxBytes / 1048576), afterCommit);
            c[3]++;
            return 1;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(e.path());
        } catch (IOException ex) {
            return 0; // vanished or unreadable right now; the next scan sees it again
        }
        String checksum = sha256(bytes);
        if (previous != null && checksum.equals(previous.getChecksum())) {
            c[1]++;
            return 0;
        }
        ParsedDocument parsed;
        List<Chunk> chunks;
        try {
            parsed = DocumentParsers.parse(id, bytes);
            chunks = chunker.chunk(parsed);
        } catch (UnreadableDocumentException ex) {
            fail(id, checksum, bytes.length, previous, ex.getMessage(), afterCommit);
            c[3]++;
            return 1;
        } catch (RuntimeException ex) {
            log.debug("parser failure for {}", id, ex);
            fail(id, checksum, bytes.length, previous, "could not be parsed: " + ex, afterCommit);
            c[3]++;
            return 1;
        }
        publisher.begin();
        List<String> oldSums = previous == null ? List.of() : previous.getChunkChecksums();
        List<String> newSums = new ArrayList<>(chunks.size());
        for (Chunk chunk : chunks) {
            newSums.add(chunk.getChecksum());
            int ord = chunk.getOrdinal();
            if (ord >= oldSums.size() || !oldSums.get(ord).equals(chunk.getChecksum())) {
                publisher.chunk(chunk);
                c[4]++;
            }
        }
        for (int ord = chunks.size(); ord < oldSums.size(); ord++) {
            publisher.removeChunk(DocumentPublisher.chunkId(id, ord));
            c[5]++;
        }
        DocumentRecord record = DocumentRecord.newBuilder()
                .setDocumentId(id).setChecksum(checksum).setStatus(DocumentStatus.INGESTED)
                .setFormat(parsed.format()).setSizeBytes(bytes.length).setChunkChecksums(newSums)
                .setDocument(parsed.info()).setUpdatedAtMs(System.currentTimeMillis()).build();
        publisher.document(id, record);
        afterCommit.add(() -> states.apply(id, record));
        c[0]++;
        return 1;
    }

    /**
     * An unreadable file: one error record and a FAILED document record with its checksum, so the same
     * bad bytes are not reported again after a restart. Chunks from an earlier good version are kept.
     */
    private void fail(String id, String checksum, long size, DocumentRecord previous, String reason,
                      List<Runnable> afterCommit) {
        publisher.begin();
        error(id, reason, null);
        DocumentRecord record = DocumentRecord.newBuilder()
                .setDocumentId(id).setChecksum(checksum).setStatus(DocumentStatus.FAILED)
                .setFormat(previous == null ? "unknown" : previous.getFormat()).setSizeBytes(size)
                .setChunkChecksums(previous == null ? List.of() : previous.getChunkChecksums())
                .setDocument(previous == null ? DocumentInfo.newBuilder().build() : previous.getDocument())
                .setUpdatedAtMs(System.currentTimeMillis()).build();
        publisher.document(id, record);
        afterCommit.add(() -> states.apply(id, record));
    }

    private int delete(String id, List<Runnable> afterCommit) {
        publisher.begin();
        DocumentRecord previous = states.get(id);
        int n = previous.getChunkChecksums().size();
        for (int ord = 0; ord < n; ord++) {
            publisher.removeChunk(DocumentPublisher.chunkId(id, ord));
        }
        publisher.document(id, null);
        afterCommit.add(() -> states.apply(id, null));
        reportedLinks.remove(id);
        log.info("ingest: {} was deleted; removed its {} chunks", id, n);
        return n;
    }

    private void error(String path, String reason, String detail) {
        publisher.error(IngestError.newBuilder().setPath(path).setReason(reason).setDetail(detail)
                .setOccurredAtMs(System.currentTimeMillis()).build());
        errorLog.record(path, reason);
        errorsCounter.increment();
    }

    private void commit(List<Runnable> afterCommit) {
        publisher.commit();
        afterCommit.forEach(Runnable::run);
        afterCommit.clear();
    }

    public ScanReport total() {
        return total;
    }

    @Override
    public boolean healthy() {
        return publisher != null && (watcher == null || watcher.isAlive());
    }

    @Override
    public Map<String, List<String>> consumerGroups() {
        return Map.of();
    }

    @Override
    public void close() {
        running = false;
        if (watcher != null) {
            try {
                // Let a scan in progress finish its transaction; interrupt only if it takes too long.
                watcher.join(30_000);
                watcher.interrupt();
                watcher.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (publisher != null) {
                publisher.close();
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
