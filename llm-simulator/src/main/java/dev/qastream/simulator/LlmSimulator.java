package dev.qastream.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulator of a local LLM server, over real HTTP: Ollama's API ({@code /api/chat}, {@code /api/tags},
 * {@code /api/show}) and the OpenAI API ({@code /v1/chat/completions}, {@code /v1/models}). It serves K
 * requests at once and queues the rest, takes the time the configured token rates say, answers with
 * question/answer pairs built from the document in the prompt, fails on demand, and records every request.
 */
public final class LlmSimulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LlmSimulator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private enum Api { OLLAMA, OPENAI }

    private final SimulatorConfig config;
    private final FaultPlan faults;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore slots;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicLong busySlotNanos = new AtomicLong();
    /** System.nanoTime() when the first answered call took its slot, and when the last one gave it back; 0: none yet. */
    private final AtomicLong firstSlotNanos = new AtomicLong();
    private final AtomicLong lastReleaseNanos = new AtomicLong();
    /** The newest requests only, so a long benchmark run does not fill the heap. */
    static final int MAX_RECORDED = 10_000;
    private final Deque<RecordedRequest> requests = new ArrayDeque<>();
    private final int port;
    private volatile HttpServer server;

    private LlmSimulator(SimulatorConfig config) throws IOException {
        this.config = config;
        this.faults = new FaultPlan(config.seed(), config.faultRates());
        this.slots = new Semaphore(config.slots(), true);
        this.server = listen(config.port());
        this.port = server.getAddress().getPort();
    }

    /** Starts listening at once; {@link #close()} stops it. */
    public static LlmSimulator start(SimulatorConfig config) throws IOException {
        LlmSimulator sim = new LlmSimulator(config);
        log.info("LLM simulator listening on {} ({} slots, models {})", sim.baseUrl(), config.slots(), config.models());
        return sim;
    }

    public int port() {
        return port;
    }

    /** {@code http://host:port}; Ollama clients use it as is, OpenAI clients append {@code /v1}. */
    public String baseUrl() {
        return "http://" + config.host() + ":" + port;
    }

    public SimulatorConfig config() {
        return config;
    }

    /** Faults to inject from now on; changeable while requests run. */
    public FaultPlan faults() {
        return faults;
    }

    /** The requests received (the newest 10,000), in arrival order. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Forgets the recorded requests. */
    public void clearRequests() {
        synchronized (requests) {
            requests.clear();
        }
    }

    /** Generation calls received (answered, refused or failed). */
    public int calls() {
        return calls.get();
    }

    /** Sum over answered calls of the time each held a slot. */
    public long busySlotNanos() {
        return busySlotNanos.get();
    }

    /**
     * The share of the slots busy from the first call taking a slot to the last one giving it back: 1.0 when no
     * slot was ever idle in between; 0 before any call.
     */
    public double busyShare() {
        long window = lastReleaseNanos.get() - firstSlotNanos.get();
        return window <= 0 || firstSlotNanos.get() == 0 ? 0 : busySlotNanos.get() / (double) window / config.slots();
    }

    /** Starts the busy-slot measures afresh (busy time, first and last call): what came before is not counted. */
    public void resetBusyMeasures() {
        busySlotNanos.set(0);
        firstSlotNanos.set(0);
        lastReleaseNanos.set(0);
    }

    /** System.nanoTime() when the first call took a slot (0: none yet). */
    public long firstSlotNanos() {
        return firstSlotNanos.get();
    }

    /** System.nanoTime() when the last call so far gave its slot back (0: none yet). */
    public long lastReleaseNanos() {
        return lastReleaseNanos.get();
    }

    /** Requests holding a slot right now. */
    public int activeSlots() {
        return config.slots() - slots.availablePermits();
    }

    /**
     * An outage: stops listening, so connections are refused, until {@code outage(false)} listens again on
     * the same port.
     */
    public synchronized void outage(boolean down) throws IOException {
        if (down && server != null) {
            server.stop(0);
            server = null;
        } else if (!down && server == null) {
            server = listen(port);
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        executor.shutdownNow();
    }

    private HttpServer listen(int onPort) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(config.host(), onPort), 64);
        s.createContext("/", this::handle);
        s.setExecutor(executor);
        s.start();
        return s;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String raw;
            try (InputStream in = exchange.getRequestBody()) {
                raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            JsonNode body = parse(raw);
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            RecordedRequest recorded = new RecordedRequest(method, path, exchange.getProtocol(), headers(exchange), body, raw);
            synchronized (requests) {
                if (requests.size() == MAX_RECORDED) {
                    requests.removeFirst();
                }
                requests.addLast(recorded);
            }
            switch (method + " " + path) {
                case "GET /", "HEAD /" -> send(exchange, 200, "text/plain", "Ollama is running");
                case "GET /api/tags" -> sendJson(exchange, 200, Replies.tags(config.models()));
                case "POST /api/show" -> show(exchange, body);
                case "GET /v1/models" -> sendJson(exchange, 200, config.flavour() == SimulatorConfig.Flavour.LLAMA_CPP
                        ? Replies.openAiModels(config.models().subList(0, 1), "llamacpp")
                        : Replies.openAiModels(config.models(), "simulator"));
                case "POST /api/chat" -> chat(exchange, body, Api.OLLAMA);
                case "POST /v1/chat/completions" -> chat(exchange, body, Api.OPENAI);
                default -> error(exchange, path.startsWith("/v1/") ? Api.OPENAI : Api.OLLAMA, 404,
                        "404 page not found", "not_found");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: leave without an answer
        }
    }

    private void chat(HttpExchange exchange, JsonNode body, Api api) throws IOException, InterruptedException {
        calls.incrementAndGet();
        if (body == null || !body.path("messages").isArray()) {
            error(exchange, api, 400, "invalid request: a JSON body with messages is required", "invalid_request_error");
            return;
        }
        String model = body.path("model").asText();
        boolean anyName = api == Api.OPENAI && config.flavour() == SimulatorConfig.Flavour.LLAMA_CPP;
        if (!anyName && !config.models().contains(model)) {
            if (api == Api.OLLAMA) {
                error(exchange, api, 404, "model \"" + model + "\" not found, try pulling it first", null);
            } else {
                error(exchange, api, 404, "The model `" + model + "` does not exist.", "model_not_found");
            }
            return;
        }
        if (api == Api.OPENAI && config.flavour() == SimulatorConfig.Flavour.OLD_VLLM
                && "none".equals(body.path("reasoning_effort").asText(null))) {
            // vLLM's request validation before it took "none" (pydantic's literal error, as vLLM words it)
            error(exchange, api, 400, "[{'type': 'literal_error', 'loc': ('body', 'reasoning_effort'), 'msg': "
                    + "\"Input should be 'low', 'medium' or 'high'\", 'input': 'none'}]", "BadRequestError");
            return;
        }
        Optional<Fault> fault = faults.draw();
        if (fault.isPresent() && failBeforeAnswer(exchange, api, fault.get())) {
            return;
        }
        // What the model will say is fixed before it takes a slot: the slot time is the token rates' alone.
        SimulatedCall call = SimulatedCall.answer(body.path("messages"), maxTokens(body, api), fault.orElse(null), config,
                JudgeWriter.wanted(body));
        if (!slots.tryAcquire()) {
            if (waiting.incrementAndGet() > config.maxQueue()) {
                waiting.decrementAndGet();
                busy(exchange, api);
                return;
            }
            try {
                slots.acquire();
            } finally {
                waiting.decrementAndGet();
            }
        }
        // Ollama streams unless told "stream": false; OpenAI servers stream only when asked.
        boolean stream = api == Api.OLLAMA ? body.path("stream").asBoolean(true) : body.path("stream").asBoolean(false);
        long start = System.nanoTime();
        firstSlotNanos.compareAndSet(0, start);
        try {
            if (stream) {
                sleepNanos(call.prefillNanos());
                stream(exchange, api, model, call, body);
                return;
            }
            sleepNanos(call.latencyNanos());
        } finally {
            long end = System.nanoTime();
            busySlotNanos.addAndGet(end - start);
            lastReleaseNanos.accumulateAndGet(end, Math::max);
            slots.release();
        }
        sendJson(exchange, 200, api == Api.OLLAMA ? Replies.ollamaReply(model, call, body) : Replies.openAiReply(model, call));
    }

    /** Ollama's NDJSON lines or OpenAI's server-sent events, the content in pieces as it is decoded. */
    private void stream(HttpExchange exchange, Api api, String model, SimulatedCall call, JsonNode request)
            throws IOException, InterruptedException {
        String content = call.content();
        int pieces = Math.max(1, Math.min(8, content.length() / 40));
        exchange.getResponseHeaders().set("Content-Type", api == Api.OLLAMA ? "application/x-ndjson" : "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        String id = Replies.completionId();
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < pieces; i++) {
                sleepNanos(call.decodeNanos() / pieces);
                String piece = content.substring(content.length() * i / pieces, content.length() * (i + 1) / pieces);
                ObjectNode chunk = JSON.createObjectNode();
                if (api == Api.OLLAMA) {
                    chunk.put("model", model).put("created_at", Instant.now().toString());
                    chunk.putObject("message").put("role", "assistant").put("content", piece);
                    chunk.put("done", false);
                } else {
                    Replies.openAiChunk(chunk, id, model).putObject("delta").put("role", "assistant").put("content", piece);
                }
                writeEvent(out, api, chunk);
            }
            if (api == Api.OLLAMA) {
                ObjectNode last = Replies.ollamaReply(model, call, request);
                ((ObjectNode) last.path("message")).put("content", "");
                writeEvent(out, api, last);
            } else {
                ObjectNode last = JSON.createObjectNode();
                ObjectNode choice = Replies.openAiChunk(last, id, model);
                choice.putObject("delta");
                choice.put("finish_reason", call.finishReason());
                if (request.path("stream_options").path("include_usage").asBoolean(false)) {
                    last.set("usage", Replies.openAiReply(model, call).path("usage"));
                }
                writeEvent(out, api, last);
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void writeEvent(OutputStream out, Api api, JsonNode event) throws IOException {
        String line = api == Api.OLLAMA ? event + "\n" : "data: " + event + "\n\n";
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Faults that replace the answer; true when the exchange is done. */
    private boolean failBeforeAnswer(HttpExchange exchange, Api api, Fault fault) throws IOException, InterruptedException {
        switch (fault) {
            case HTTP_500 -> error(exchange, api, 500, "simulated internal server error", "server_error");
            case HTTP_400 -> error(exchange, api, 400, "the request exceeds the available context size", "invalid_request_error");
            case HTTP_401 -> error(exchange, api, 401, "Incorrect API key provided: " + bearer(exchange), "invalid_api_key");
            case HTTP_429 -> error(exchange, api, 429, "too many requests", "rate_limit_exceeded");
            case BUSY -> busy(exchange, api);
            case DROP -> { } // closing the exchange before any header is sent drops the connection
            case TIMEOUT -> sleepNanos(config.hang().toNanos());
            default -> {
                return false;
            }
        }
        return true;
    }

    private static String bearer(HttpExchange exchange) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        return auth == null ? "(none)" : auth.replaceFirst("(?i)^Bearer\\s+", "");
    }

    private void busy(HttpExchange exchange, Api api) throws IOException {
        error(exchange, api, 503, "server busy, please try again.  maximum pending requests exceeded", "unavailable_error");
    }

    private static int maxTokens(JsonNode body, Api api) {
        JsonNode limit = api == Api.OLLAMA ? body.path("options").path("num_predict")
                : body.hasNonNull("max_completion_tokens") ? body.path("max_completion_tokens") : body.path("max_tokens");
        return limit.isNumber() ? limit.asInt() : -1;
    }

    private void show(HttpExchange exchange, JsonNode body) throws IOException {
        String model = body == null ? "" : body.hasNonNull("model") ? body.path("model").asText() : body.path("name").asText();
        if (!config.models().contains(model)) {
            error(exchange, Api.OLLAMA, 404, "model '" + model + "' not found", null);
            return;
        }
        ObjectNode r = JSON.createObjectNode();
        r.put("modelfile", "# simulated model " + model);
        r.putObject("details").put("format", "gguf").put("family", "qwen3");
        r.putArray("capabilities").add("completion").add("thinking");
        sendJson(exchange, 200, r);
    }

    private void error(HttpExchange exchange, Api api, int status, String message, String code) throws IOException {
        ObjectNode r = JSON.createObjectNode();
        if (api == Api.OLLAMA) {
            r.put("error", message);
        } else {
            ObjectNode e = r.putObject("error");
            e.put("message", message);
            e.put("type", status >= 500 ? "server_error" : "invalid_request_error");
            e.put("code", code);
        }
        sendJson(exchange, status, r);
    }

    private static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, "application/json; charset=utf-8", body.toString());
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, List<String>> headers(HttpExchange exchange) {
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
        return headers;
    }

    private static JsonNode parse(String raw) {
        if (raw.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(raw);
        } catch (IOException e) {
            return null;
        }
    }

    private static void sleepNanos(long nanos) throws InterruptedException {
        if (nanos > 0) {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    }
}
