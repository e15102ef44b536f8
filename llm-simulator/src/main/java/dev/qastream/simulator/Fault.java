package dev.qastream.simulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What can go wrong with one generation call, as real model servers go wrong. */
public enum Fault {
    /** HTTP 500 with an error body in the API's shape. */
    HTTP_500("http500"),
    /** HTTP 400, as a server answers a request it cannot take (e.g. a context longer than the model's). */
    HTTP_400("http400"),
    /**
     * HTTP 401 whose error body quotes the API key the request carried, as some OpenAI-compatible servers and
     * proxies do: what a client does with a server's error text must not leak the key.
     */
    HTTP_401("http401"),
    /** HTTP 429 too many requests. */
    HTTP_429("http429"),
    /** HTTP 503 "server busy", as Ollama answers when its queue is full. */
    BUSY("busy"),
    /** The connection is closed without any response. */
    DROP("drop"),
    /** No answer until the client gives up (or the simulator closes). */
    TIMEOUT("timeout"),
    /** Content that is not JSON, even for a lenient parser. */
    MALFORMED("malformed"),
    /** A {@code <think>...</think>} block before the JSON (the JSON itself is fine). */
    THINK("think"),
    /** An empty message content. */
    EMPTY("empty"),
    /** Output cut at the token limit: finish reason "length", JSON truncated. */
    TRUNCATED("truncated"),
    /** Valid JSON that ignores the requested schema. */
    SCHEMA("schema");

    private final String cliName;

    Fault(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** By its command-line name ("http500") or its constant name ("HTTP_500"). */
    public static Fault parse(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (Fault f : values()) {
            if (f.cliName.equals(n) || f.name().toLowerCase(Locale.ROOT).equals(n)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + name + "'; known: " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(Fault::cliName).collect(Collectors.joining(", "));
    }
}
