package dev.qastream.generation;

/**
 * A chunk could not be turned into pairs. {@code retryable} tells the worker whether another
 * attempt may succeed (timeout, overloaded server) or the request belongs in the dead-letter topic now.
 */
public class GenerationException extends Exception {
    private final boolean retryable;

    public GenerationException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public GenerationException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
