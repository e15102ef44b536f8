package dev.qastream.runtime.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.qastream.runtime.Health;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Serves /metrics (Prometheus text format) and /health: the worst status of the registered checks first
 * ({@code status: UP}, {@code DEGRADED} or {@code DOWN}), then one line per check with its reason, then the details.
 * HTTP 503 only when a check is DOWN: a DEGRADED service still works (a thread that keeps failing, a stalled input),
 * so a load balancer or orchestrator must not take it out or restart it for that; DEGRADED is for people and
 * alerts, which read the body. One per process: the embedded stack shares it.
 */
public final class HttpEndpoint implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    {
        // jvm_memory_used_bytes / _max_bytes by area and pool: how close a service runs to its -Xmx
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    }
    private final Map<String, Supplier<Health>> checks = new ConcurrentHashMap<>();
    private final Map<String, Supplier<List<String>>> details = new ConcurrentHashMap<>();
    private HttpServer server;

    public PrometheusMeterRegistry meters() {
        return registry;
    }

    /** A check that is UP or DOWN. */
    public void addHealthCheck(String name, BooleanSupplier check) {
        checks.put(name, () -> Health.of(check.getAsBoolean()));
    }

    /** A check that tells UP, DEGRADED or DOWN with its reason, e.g. a service's {@code health()}. */
    public void addHealth(String name, Supplier<Health> check) {
        checks.put(name, check);
    }

    /** Lines shown under /health's checks, prefixed by {@code name}; they do not change its status. */
    public void addHealthDetail(String name, Supplier<List<String>> lines) {
        details.put(name, lines);
    }

    /** Starts on loopback-or-all per host; port 0 picks a free port. */
    public HttpEndpoint start(String host, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "http-endpoint");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4", registry.scrape()));
        server.createContext("/health", this::health);
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The address and port it listens on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** What /health answers: its HTTP status and its text. */
    public record Report(int status, String body) {
    }

    /** /metrics' text, for a server that shares this endpoint's port (up's review workbench). */
    public String scrape() {
        return registry.scrape();
    }

    private void health(HttpExchange ex) throws IOException {
        Report report = healthReport();
        reply(ex, report.status(), "text/plain", report.body());
    }

    /** /health's answer, for a server that shares this endpoint's port (up's review workbench). */
    public Report healthReport() {
        StringBuilder body = new StringBuilder();
        Health.Status worst = Health.Status.UP;
        for (Map.Entry<String, Supplier<Health>> c : new TreeMap<>(checks).entrySet()) {
            Health h;
            try {
                h = c.getValue().get();
            } catch (RuntimeException e) {
                h = Health.down("check failed: " + e);
            }
            if (h.status().compareTo(worst) > 0) {
                worst = h.status();
            }
            body.append(c.getKey()).append(": ").append(h).append('\n');
        }
        for (Map.Entry<String, Supplier<List<String>>> d : new TreeMap<>(details).entrySet()) {
            try {
                d.getValue().get().forEach(line -> body.append(d.getKey()).append(' ').append(line).append('\n'));
            } catch (RuntimeException e) {
                body.append(d.getKey()).append(" unknown: ").append(e.getMessage()).append('\n');
            }
        }
        body.insert(0, "status: " + worst + "\n");
        return new Report(worst == Health.Status.DOWN ? 503 : 200, body.toString());
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        registry.close();
    }
}
