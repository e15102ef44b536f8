package dev.qastream.ingest;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.kafka.TopicSnapshot;
import dev.qastream.schemas.DocumentRecord;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What ingest already published, per document id, restored from the compacted ingest.documents topic
 * at start. This is what lets a restart re-send nothing that has not changed.
 */
final class DocumentStates {
    private final Map<String, DocumentRecord> byId = new ConcurrentHashMap<>();

    static DocumentStates load(ServiceContext ctx) {
        DocumentStates states = new DocumentStates();
        TopicSnapshot.latest(ctx.kafka(), ctx.topics().documents).forEach(states::apply);
        return states;
    }

    void apply(String documentId, DocumentRecord record) {
        if (record == null) {
            byId.remove(documentId);
        } else {
            byId.put(documentId, record);
        }
    }

    DocumentRecord get(String documentId) {
        return byId.get(documentId);
    }

    Set<String> ids() {
        return Set.copyOf(byId.keySet());
    }

    int size() {
        return byId.size();
    }
}
