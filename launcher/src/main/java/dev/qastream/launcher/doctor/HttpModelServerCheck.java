package dev.qastream.launcher.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Lists the server's models: Ollama {@code GET /api/tags}, OpenAI-compatible {@code GET /models} under /v1. */
public final class HttpModelServerCheck implements ModelServerCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @Override
    public Result check(String backend, String baseUrl, String model, String apiKey) {
        String base = baseUrl.replaceAll("/+$", "");
        boolean ollama = "ollama".equals(backend);
        URI uri = URI.create(ollama ? base + "/api/tags" : base + "/models");
        List<String> models = new ArrayList<>();
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
            if (!ollama && apiKey != null && !apiKey.isBlank()) {
                request.header("Authorization", "Bearer " + apiKey);
            }
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return new Result(Outcome.UNREACHABLE, uri + " answered HTTP " + r.statusCode());
            }
            JsonNode list = JSON.readTree(r.body()).path(ollama ? "models" : "data");
            for (JsonNode m : list) {
                models.add(m.path(ollama ? "name" : "id").asText());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Outcome.UNREACHABLE, "interrupted");
        } catch (Exception e) {
            return new Result(Outcome.UNREACHABLE, "no answer from " + uri + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        // Ollama names an untagged model "name:latest".
        boolean found = models.contains(model) || models.contains(model + ":latest");
        return found ? new Result(Outcome.READY, model + " served at " + base)
                : new Result(Outcome.MODEL_MISSING, base + " serves " + (models.isEmpty() ? "no models" : models)
                + ", not " + model);
    }
}
