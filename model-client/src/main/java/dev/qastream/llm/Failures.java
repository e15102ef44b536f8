package dev.qastream.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.qastream.llm.GenerationException;
import dev.qastream.llm.GenerationException.Kind;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Maps what LangChain4j throws to the worker's three kinds. LangChain4j wraps HTTP statuses in its own
 * exceptions (404 ModelNotFound, 429 RateLimit, 5xx InternalServer, 408 Timeout, other 4xx InvalidRequest)
 * and I/O failures in a plain LangChain4jException, so the cause chain is searched, status first.
 */
public final class Failures {
    private Failures() {
    }

    public static GenerationException classify(RuntimeException e, String tier, String model, String baseUrl) {
        String where = "tier " + tier + ": " + model + " at " + baseUrl;
        Integer status = status(e);
        if (status != null) {
            String detail = message(e);
            if (status == 404) {
                return new GenerationException(where + ": model not found (HTTP 404: " + detail + ")", Kind.PERMANENT, null, e);
            }
            if (status == 408 || status == 429 || status >= 500) {
                return new GenerationException(where + ": HTTP " + status + " " + detail, Kind.TRANSIENT, null, e);
            }
            return new GenerationException(where + ": request refused (HTTP " + status + ": " + detail + ")", Kind.PERMANENT, null, e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ModelNotFoundException || t instanceof InvalidRequestException || t instanceof AuthenticationException
                    || t instanceof UnresolvedModelServerException || t instanceof UnresolvedAddressException) {
                return new GenerationException(where + ": " + message(t), Kind.PERMANENT, null, e);
            }
            if (t instanceof HttpTimeoutException) {
                return new GenerationException(where + ": timed out", Kind.TRANSIENT, null, e);
            }
            if (t instanceof ConnectException) {
                return new GenerationException(where + ": connection refused", Kind.TRANSIENT, null, e);
            }
            if (t instanceof JsonProcessingException) {
                return new GenerationException(where + ": the server's reply is not valid JSON: " + message(t),
                        Kind.UNPARSEABLE, null, e);
            }
            if (t instanceof IOException || t instanceof RetriableException) {
                return new GenerationException(where + ": " + message(t), Kind.TRANSIENT, null, e);
            }
        }
        // Unknown: retry; the worker's breaker and escalation bound the cost.
        return new GenerationException(where + ": " + message(e), Kind.TRANSIENT, null, e);
    }

    private static Integer status(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpException h) {
                return h.statusCode();
            }
        }
        return null;
    }

    private static String message(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                String m = c.getMessage().strip();
                return m.length() > 300 ? m.substring(0, 300) + "..." : m;
            }
        }
        return t.getClass().getSimpleName();
    }
}
