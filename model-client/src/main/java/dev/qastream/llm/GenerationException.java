package dev.qastream.llm;

import dev.qastream.runtime.Secrets;

/**
 * A chunk could not be turned into pairs. The kind tells the worker what to do next:
 * <ul>
 *   <li>{@link Kind#TRANSIENT}: the server is down, busy (429, 503), erring (5xx) or timed out: retry
 *       with backoff; never dead-letter for this alone (the circuit breaker pauses the tier instead).</li>
 *   <li>{@link Kind#UNPARSEABLE}: the model answered, but not with usable pairs: retry, then escalate
 *       to the next tier, then dead-letter with {@link #rawOutput()}.</li>
 *   <li>{@link Kind#PERMANENT}: the request itself is wrong (no such model, 400): dead-letter.</li>
 * </ul>
 */
public class GenerationException extends Exception {
    public enum Kind { TRANSIENT, UNPARSEABLE, PERMANENT }

    private final Kind kind;
    private final String rawOutput;

    public GenerationException(String message, Kind kind) {
        this(message, kind, null, null);
    }

    public GenerationException(String message, Kind kind, String rawOutput, Throwable cause) {
        // The message and raw output go to the dead-letter topic and the logs: a server may quote the key it got.
        super(Secrets.redact(message), cause);
        this.kind = kind;
        this.rawOutput = Secrets.redact(rawOutput);
    }

    /** Older two-kind form: retryable means {@link Kind#TRANSIENT}, else {@link Kind#PERMANENT}. */
    public GenerationException(String message, boolean retryable) {
        this(message, retryable ? Kind.TRANSIENT : Kind.PERMANENT);
    }

    public Kind kind() {
        return kind;
    }

    public boolean retryable() {
        return kind != Kind.PERMANENT;
    }

    /** What the model returned, for the dead-letter record; null when nothing came back. */
    public String rawOutput() {
        return rawOutput;
    }
}
