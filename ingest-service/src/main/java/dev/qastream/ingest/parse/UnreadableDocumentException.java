package dev.qastream.ingest.parse;

/**
 * A document that cannot be ingested. The message is the reason in words a person understands
 * ("file is empty", "invalid UTF-8 at byte 1234", "PDF is encrypted", ...); it ends up in
 * {@code ingest.errors}. The cause, when there is one, carries the technical detail.
 */
public final class UnreadableDocumentException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnreadableDocumentException(String reason) {
        super(reason);
    }

    public UnreadableDocumentException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
