package dev.qastream.ingest;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DocumentRecord;
import dev.qastream.schemas.IngestError;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything one document's change writes (its chunks, the tombstones of chunks it lost, its record, an
 * error), or one error report: written whole in one transaction or not at all, so a reader never sees a
 * document in part. What may happen only once the records are committed (local state, counters, the error
 * log) waits in {@link #afterCommit}; a unit that is never committed leaves no trace.
 */
final class WriteUnit {
    private final List<Consumer<DocumentPublisher>> sends = new ArrayList<>();
    private final List<Runnable> afterCommit = new ArrayList<>();

    WriteUnit chunk(Chunk chunk) {
        sends.add(p -> p.chunk(chunk));
        return this;
    }

    WriteUnit removeChunk(String chunkId) {
        sends.add(p -> p.removeChunk(chunkId));
        return this;
    }

    /** {@code record} null removes the document. */
    WriteUnit document(String documentId, DocumentRecord record) {
        sends.add(p -> p.document(documentId, record));
        return this;
    }

    WriteUnit error(IngestError error) {
        sends.add(p -> p.error(error));
        return this;
    }

    WriteUnit afterCommit(Runnable action) {
        afterCommit.add(action);
        return this;
    }

    /** Sends the records into the publisher's open transaction; may run again, on a new publisher, after a failure. */
    void sendTo(DocumentPublisher publisher) {
        sends.forEach(send -> send.accept(publisher));
    }

    void committed() {
        afterCommit.forEach(Runnable::run);
    }
}
