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
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Watches the inbox and publishes what changed: a new file is parsed, chunked and published; a changed
 * file re-sends only the chunks whose text changed and tombstones those that disappeared; a deleted file
 * tombstones all its chunks; an unchanged file (checksum as recorded in ingest.documents) sends nothing.
 * A file that cannot be read becomes one error record with a reason, and ingest goes on.
 *
 * <p>"I cannot see it" is never "it was deleted": an inbox that is missing or unreadable stops the scan
 * (one error, nothing removed) until it is back; documents in a sub-folder that cannot be listed, and files
 * that cannot be read, are kept and reported. An inbox in which none of the known documents is left is
 * emptied only when it is still the very folder the data dir adopted (same device and inode): an empty
 * mount point whose drive went away is a different folder, and is refused. A data dir belongs to one inbox
 * ({@link InboxOwnership}); another one is refused unless {@code ingest.allow-inbox-change} says so.
 *
 * <p>Exactly once: files are read and parsed on worker threads with no transaction open; each ready document
 * becomes one {@link WriteUnit} (all its records, written whole or not at all), and a {@link TransactionalWriter}
 * writes ready units in short transactions, retrying them with a new producer when a write fails. What
 * remembers a document locally (its state, its last read, counters, the error log) happens after its commit,
 * so a scan that fails part-way claims nothing it did not write, and the next scan reads those files again.
 */
public final class IngestService implements Service {
    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    /** One ingest per cluster: a restart takes the id over, which completes or aborts what the last run left open. */
    static final String TRANSACTIONAL_ID = "qastream-ingest-0";
    /** Documents per transaction: amortises the commit without holding much in flight. */
    private static final int DOCUMENTS_PER_TRANSACTION = 100;
    /** How long a ready document may wait for others to share its transaction, while later files are parsed. */
    private static final long MAX_WRITE_DELAY_MS = 1_000;
    /** Files parsed ahead of the publishing thread; bounds memory to a few documents. */
    private static final int PARSE_WINDOW = 16;

    private final ServiceContext ctx;
    private final Inbox inbox;
    private final InboxGuard guard;
    private final Chunker chunker;
    private final long maxBytes;
    private final long pollMs;
    private final IngestErrorLog errorLog;
    private final Counter documentsCounter;
    private final Counter chunksCounter;
    private final Counter errorsCounter;
    private final Counter filesReadCounter;
    private final Counter deletedCounter;
    private final Counter chunksRemovedCounter;
    private final Counter unchangedCounter;
    private final Counter bytesCounter;
    private final Timer scanTimer;
    private final ExecutorService parsers;
    private DocumentStates states;
    private TransactionalWriter writer;
    private Thread watcher;
    private volatile boolean running;
    private volatile ScanReport total = ScanReport.empty();
    /**
     * What each file looked like when it was last read, and its checksum, once that read is committed (or
     * changed nothing): unchanged files are not read again.
     */
    private final Map<String, LastRead> lastRead = new ConcurrentHashMap<>();
    /** The inbox problem last reported, so that it is reported once, not on every scan. */
    private String reportedProblem;
    /** Unreadable folders and files last reported, with the reason. */
    private final Map<String, String> reportedUnreadable = new HashMap<>();
    private int lastSkipped = -1;

    private record LastRead(FileStat stat, String checksum) {
    }

    /** Runs this service alone against the cluster and registry in the configuration. */
    public static void main(String[] args) {
        ServiceMain.run(args, IngestService::new);
    }

    public IngestService(ServiceContext ctx) {
        this(ctx, InboxFiles.LOCAL);
    }

    /** {@code files}: how folders are listed and files read (tests inject failures and count reads). */
    IngestService(ServiceContext ctx, InboxFiles files) {
        this.ctx = ctx;
        this.inbox = new Inbox(ctx.config().path("inbox"), ctx.config().longValue("ingest.settle-ms"),
                ctx.config().string("ingest.ignore"), files);
        this.guard = new InboxGuard(ctx.config().path("data-dir"), inbox.root(),
                ctx.config().bool("ingest.allow-inbox-change"));
        this.chunker = new Chunker(ctx.config().integer("ingest.max-tokens"), ctx.config().integer("ingest.overlap-tokens"));
        this.maxBytes = ctx.config().longValue("ingest.max-file-mb") * 1024 * 1024;
        this.pollMs = ctx.config().longValue("ingest.poll-interval-ms");
        this.errorLog = new IngestErrorLog(ctx.config().path("out").resolve("ingest-errors.jsonl"));
        MeterRegistry m = ctx.meters();
        this.documentsCounter = Counter.builder("qastream.ingest.documents").register(m);
        this.chunksCounter = Counter.builder("qastream.ingest.chunks").register(m);
        this.errorsCounter = Counter.builder("qastream.ingest.errors").register(m);
        this.filesReadCounter = Counter.builder("qastream.ingest.files.read")
                .description("files read and checksummed (unchanged settled files are not)").register(m);
        this.deletedCounter = Counter.builder("qastream.ingest.documents.deleted")
                .description("documents removed from the inbox").register(m);
        this.chunksRemovedCounter = Counter.builder("qastream.ingest.chunks.removed")
                .description("chunks tombstoned because their document changed or was deleted").register(m);
        this.unchangedCounter = Counter.builder("qastream.ingest.documents.unchanged")
                .description("files seen again with the checksum already published").register(m);
        this.bytesCounter = Counter.builder("qastream.ingest.bytes").baseUnit("bytes")
                .description("size of the documents ingested (new or changed)").register(m);
        this.scanTimer = Timer.builder("qastream.ingest.scan")
                .description("one pass over the inbox: read, parse, chunk, publish, commit").register(m);
        Gauge.builder("qastream.ingest.documents.known", this, s -> s.states == null ? 0 : s.states.size())
                .description("documents on record in ingest.documents (ingested or failed)").register(m);
        int threads = Math.max(1, ctx.config().integer("ingest.parser-threads"));
        this.parsers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ingest-parser");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return "ingest";
    }

    /** Restores what was already published and opens the transactional producer; does not watch yet. */
    public synchronized void open() {
        if (writer == null) {
            // The producer first: initialising its transactions completes or aborts whatever an earlier
            // run left open, so the states read next include everything that run committed.
            TransactionalWriter opened = new TransactionalWriter(() -> new DocumentPublisher(ctx, TRANSACTIONAL_ID),
                    DOCUMENTS_PER_TRANSACTION, ctx.config().longValue("ingest.transaction-timeout-ms"),
                    MAX_WRITE_DELAY_MS);
            try {
                states = DocumentStates.load(ctx);
                guard.checkOwnership(states.ids());
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
            writer = opened;
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
        Inbox.Listing listing = inbox.list();
        if (listing.problem() != null) {
            return refuse(listing.problem());
        }
        List<Inbox.Entry> entries = listing.entries();
        Set<String> present = new HashSet<>();
        entries.forEach(e -> present.add(e.documentId()));
        Set<String> known = states.ids();
        String refusal = guard.checkFolder(listing, known, present);
        if (refusal != null) {
            return refuse(refusal);
        }
        if (reportedProblem != null) {
            log.info("ingest: inbox {} can be read again; scanning goes on", inbox.root());
            reportedProblem = null;
        }
        lastRead.keySet().retainAll(present);
        if (listing.skipped() != lastSkipped && (listing.skipped() > 0 || lastSkipped > 0)) {
            log.info("ingest: {} files and folders skipped by the ignore rules (ingest.ignore, {})",
                    listing.skipped(), IgnoreRules.FILE_NAME);
            lastSkipped = listing.skipped();
        }
        int[] c = new int[7]; // ingested, unchanged, deleted, errors, chunksSent, chunksRemoved, pending
        try {
            c[3] += reportUnreadable(listing.unreadable());
            writeParsed(toRead(entries, now, c), c);
            writeDeletions(listing, known, present, c);
            writer.flush();
        } finally {
            // A scan that failed part-way writes nothing more: what it had not written is read again next time.
            writer.discard();
        }
        ScanReport report = new ScanReport(c[0], c[1], c[2], c[3], c[4], c[5], c[6], listing.skipped(), null);
        if (report.changedAnything()) {
            log.info("ingest: {} new or changed, {} deleted, {} errors, {} skipped; {} chunks sent, {} removed",
                    report.ingested(), report.deleted(), report.errors(), report.skipped(), report.chunksSent(),
                    report.chunksRemoved());
        }
        documentsCounter.increment(report.ingested());
        chunksCounter.increment(report.chunksSent());
        deletedCounter.increment(report.deleted());
        chunksRemovedCounter.increment(report.chunksRemoved());
        unchangedCounter.increment(report.unchanged());
        scanTimer.record(System.currentTimeMillis() - now, TimeUnit.MILLISECONDS);
        total = total.plus(report);
        return report;
    }

    /** The files to read now; refused ones (links out of the inbox, pipes) reported, unchanged and unsettled counted. */
    private List<Inbox.Entry> toRead(List<Inbox.Entry> entries, long now, int[] c) {
        List<Inbox.Entry> ready = new ArrayList<>();
        for (Inbox.Entry e : entries) {
            if (e.refusal() != null) {
                // Recorded as FAILED like an unreadable file, so neither a later scan nor a restart reports the
                // same refusal again; another one (a link pointed elsewhere) is new.
                DocumentRecord previous = states.get(e.documentId());
                String checksum = "refused:" + e.refusal();
                if (previous != null && checksum.equals(previous.getChecksum())) {
                    c[1]++;
                } else {
                    writer.write(failed(e.documentId(), checksum, 0, previous, e.refusal()));
                    c[3]++;
                }
            } else if (unchangedSinceRead(e)) {
                c[1]++;
            } else if (inbox.settled(e, now)) {
                ready.add(e);
            } else {
                c[6]++;
            }
        }
        return ready;
    }

    /** Files are read and parsed on worker threads while this thread writes what is ready, in inbox order. */
    private void writeParsed(List<Inbox.Entry> ready, int[] c) {
        Deque<Future<Prepared>> window = new ArrayDeque<>();
        try {
            int next = 0;
            while (next < ready.size() || !window.isEmpty()) {
                while (next < ready.size() && window.size() < PARSE_WINDOW) {
                    Inbox.Entry e = ready.get(next++);
                    window.add(parsers.submit(() -> prepare(e)));
                }
                WriteUnit unit = unitOf(awaitParsed(window.poll()), c);
                if (unit != null) {
                    writer.write(unit);
                }
            }
        } finally {
            window.forEach(parse -> parse.cancel(true)); // a failed scan's parses are not waited for
        }
    }

    /** Known documents no longer in the inbox (and not merely hidden from this listing) are removed. */
    private void writeDeletions(Inbox.Listing listing, Set<String> known, Set<String> present, int[] c) {
        for (String gone : known) {
            if (!present.contains(gone) && !listing.hides(gone)) {
                int chunks = states.get(gone).getChunkChecksums().size();
                writer.write(deleted(gone, chunks, listing.ignores().coversDocument(gone)));
                c[5] += chunks;
                c[2]++;
            }
        }
    }

    /** A scan that does nothing: one error the first time this problem is seen, none while it lasts. */
    private ScanReport refuse(String why) {
        String problem = why + "; nothing is removed, and ingest goes on when the inbox is back";
        int errors = 0;
        if (!problem.equals(reportedProblem)) {
            writer.write(errorReport(inbox.root().toString(), problem).afterCommit(() -> reportedProblem = problem));
            writer.flush();
            errors = 1;
        }
        ScanReport report = new ScanReport(0, 0, 0, errors, 0, 0, 0, 0, problem);
        total = total.plus(report);
        return report;
    }

    /** Folders that cannot be listed and files that cannot be looked at: reported once each; their documents stay. */
    private int reportUnreadable(Map<String, String> unreadable) {
        int reported = 0;
        reportedUnreadable.keySet().retainAll(unreadable.keySet());
        for (Map.Entry<String, String> u : unreadable.entrySet()) {
            if (!u.getValue().equals(reportedUnreadable.get(u.getKey()))) {
                writer.write(errorReport(u.getKey(), (u.getKey().endsWith("/") ? "folder cannot be read ("
                        : "file cannot be read (") + u.getValue() + "); its documents are kept until it can be read again")
                        .afterCommit(() -> reportedUnreadable.put(u.getKey(), u.getValue())));
                reported++;
            }
        }
        return reported;
    }

    /** True when the file looks exactly as when it was last read and that read is what ingest.documents holds. */
    private boolean unchangedSinceRead(Inbox.Entry e) {
        LastRead read = lastRead.get(e.documentId());
        DocumentRecord recorded = states.get(e.documentId());
        return read != null && recorded != null && read.stat().sameAs(e.stat())
                && read.checksum().equals(recorded.getChecksum());
    }

    /**
     * What a worker found out about one file: unchanged, unreadable (with the reason), or parsed into chunks;
     * {@code stat} is what the file looked like when read (null: not to be remembered, it is read again).
     */
    private record Prepared(String id, FileStat stat, String checksum, long size, DocumentRecord previous,
                            boolean unchanged, String failure, ParsedDocument parsed, List<Chunk> chunks) {
    }

    /** Runs on a worker thread: reads, checksums, parses and chunks; touches no Kafka state. */
    private Prepared prepare(Inbox.Entry e) {
        String id = e.documentId();
        DocumentRecord previous = states.get(id);
        if (e.size() > maxBytes) {
            String checksum = "size:" + e.size();
            boolean same = previous != null && checksum.equals(previous.getChecksum());
            return new Prepared(id, e.stat(), checksum, e.size(), previous, same, String.format(
                    "file is %.1f MB, larger than the %d MB limit (ingest.max-file-mb)",
                    e.size() / 1048576.0, maxBytes / 1048576), null, null);
        }
        byte[] bytes;
        try {
            bytes = inbox.read(e.path());
            filesReadCounter.increment();
        } catch (NoSuchFileException ex) {
            return null; // vanished; the next scan sees it gone
        } catch (IOException ex) {
            // Reported (once: the reason is the checksum) and kept, never taken for a deletion; tried again
            // on every scan, since nothing about the file need change when it becomes readable.
            String reason = "file cannot be read (" + Inbox.reason(ex) + ")";
            String checksum = "unreadable:" + reason;
            boolean same = previous != null && checksum.equals(previous.getChecksum());
            return new Prepared(id, null, checksum, e.size(), previous, same, reason, null, null);
        }
        String checksum = sha256(bytes);
        FileStat stat = e.stat();
        if (previous != null && checksum.equals(previous.getChecksum())) {
            return new Prepared(id, stat, checksum, bytes.length, previous, true, null, null, null);
        }
        try {
            ParsedDocument parsed = DocumentParsers.parse(id, bytes);
            List<Chunk> chunks = chunker.chunk(parsed);
            String tooLarge = RecordLimits.check(chunks);
            return tooLarge != null
                    ? new Prepared(id, stat, checksum, bytes.length, previous, false, tooLarge, null, null)
                    : new Prepared(id, stat, checksum, bytes.length, previous, false, null, parsed, chunks);
        } catch (UnreadableDocumentException ex) {
            return new Prepared(id, stat, checksum, bytes.length, previous, false, ex.getMessage(), null, null);
        } catch (RuntimeException ex) {
            log.debug("parser failure for {}", id, ex);
            return new Prepared(id, stat, checksum, bytes.length, previous, false, "could not be parsed: " + ex,
                    null, null);
        }
    }

    /**
     * Waits for the next file's parse. No transaction is open meanwhile; ready documents waiting to be written
     * are written once they have waited long enough, so a slow parse delays nothing already parsed.
     */
    private Prepared awaitParsed(Future<Prepared> parse) {
        try {
            if (writer.hasPending()) {
                try {
                    return parse.get(writer.msUntilDue(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException notYet) {
                    writer.flush();
                }
            }
            return parse.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** What one prepared file writes: null when nothing (vanished, or unchanged: then remembered as read). */
    private WriteUnit unitOf(Prepared p, int[] c) {
        if (p == null) {
            return null;
        }
        if (p.unchanged) {
            rememberRead(p);
            c[1]++;
            return null;
        }
        if (p.failure != null) {
            c[3]++;
            return failed(p.id, p.checksum, p.size, p.previous, p.failure).afterCommit(() -> rememberRead(p));
        }
        WriteUnit unit = new WriteUnit();
        List<String> oldSums = p.previous == null ? List.of() : p.previous.getChunkChecksums();
        List<String> newSums = new ArrayList<>(p.chunks.size());
        for (Chunk chunk : p.chunks) {
            newSums.add(chunk.getChecksum());
            int ord = chunk.getOrdinal();
            if (ord >= oldSums.size() || !oldSums.get(ord).equals(chunk.getChecksum())) {
                unit.chunk(chunk);
                c[4]++;
            }
        }
        for (int ord = p.chunks.size(); ord < oldSums.size(); ord++) {
            unit.removeChunk(DocumentPublisher.chunkId(p.id, ord));
            c[5]++;
        }
        DocumentRecord record = DocumentRecord.newBuilder()
                .setDocumentId(p.id).setChecksum(p.checksum).setStatus(DocumentStatus.INGESTED)
                .setFormat(p.parsed.format()).setSizeBytes(p.size).setChunkChecksums(newSums)
                .setDocument(p.parsed.info()).setUpdatedAtMs(System.currentTimeMillis()).build();
        c[0]++;
        return unit.document(p.id, record).afterCommit(() -> {
            states.apply(p.id, record);
            rememberRead(p);
            bytesCounter.increment(p.size);
        });
    }

    private void rememberRead(Prepared p) {
        if (p.stat != null) {
            lastRead.put(p.id, new LastRead(p.stat, p.checksum));
        }
    }

    /**
     * An unreadable file: one error record and a FAILED document record with its checksum, so the same
     * bad bytes are not reported again after a restart. Chunks from an earlier good version are kept.
     */
    private WriteUnit failed(String id, String checksum, long size, DocumentRecord previous, String reason) {
        DocumentRecord record = DocumentRecord.newBuilder()
                .setDocumentId(id).setChecksum(checksum).setStatus(DocumentStatus.FAILED)
                .setFormat(previous == null ? "unknown" : previous.getFormat()).setSizeBytes(size)
                .setChunkChecksums(previous == null ? List.of() : previous.getChunkChecksums())
                .setDocument(previous == null ? DocumentInfo.newBuilder().build() : previous.getDocument())
                .setUpdatedAtMs(System.currentTimeMillis()).build();
        return errorReport(id, reason).document(id, record).afterCommit(() -> states.apply(id, record));
    }

    /** A document gone from the inbox (or now ignored): tombstones for its {@code chunks} chunks and its record. */
    private WriteUnit deleted(String id, int chunks, boolean ignored) {
        WriteUnit unit = new WriteUnit();
        for (int ord = 0; ord < chunks; ord++) {
            unit.removeChunk(DocumentPublisher.chunkId(id, ord));
        }
        return unit.document(id, null).afterCommit(() -> {
            states.apply(id, null);
            if (ignored) {
                log.info("ingest: {} now matches an ignore rule (ingest.ignore or {}); removed its {} chunks from the "
                        + "dataset, as that rule asks", id, IgnoreRules.FILE_NAME, chunks);
            } else {
                log.info("ingest: {} was deleted; removed its {} chunks", id, chunks);
            }
        });
    }

    /** One error record; the log line, the line in ingest-errors.jsonl and the count follow its commit. */
    private WriteUnit errorReport(String path, String reason) {
        IngestError error = IngestError.newBuilder().setPath(path).setReason(reason).setDetail(null)
                .setOccurredAtMs(System.currentTimeMillis()).build();
        return new WriteUnit().error(error).afterCommit(() -> {
            errorLog.record(path, reason);
            errorsCounter.increment();
        });
    }

    public ScanReport total() {
        return total;
    }

    @Override
    public boolean healthy() {
        return writer != null && (watcher == null || watcher.isAlive());
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
        parsers.shutdownNow();
        synchronized (this) {
            if (writer != null) {
                writer.close();
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
