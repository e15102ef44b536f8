package dev.qastream.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Asks a tier's model server, quickly, whether it answers and has the tier's model: Ollama's
 * {@code GET /api/tags}, an OpenAI-compatible server's {@code GET /v1/models}.
 */
public final class ServerProbe {
    /** Short enough that {@code up} without a model server still starts at once. */
    public static final Duration QUICK = Duration.ofMillis(1500);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerProbe() {
    }

    /** Checks the tier as configured; a builtin tier is always ok, an auto tier is checked as Ollama. */
    public static ModelCheck check(TierSettings s, Map<String, String> env, Duration timeout) {
        return switch (s.backend()) {
            case "builtin", "extractive" -> ModelCheck.ok(s.tier(), "tier " + s.tier() + ": builtin extractive generator (no model server needed)");
            case LlmGenerator.OPENAI -> openAi(s, env, timeout);
            default -> ollama(s, timeout);
        };
    }

    static ModelCheck ollama(TierSettings s, Duration timeout) {
        String url = s.baseUrl();
        String tier = s.tier();
        JsonNode tags;
        try {
            tags = get(url + "/api/tags", null, timeout);
        } catch (Unreachable e) {
            return ModelCheck.problem(tier, "tier " + tier + ": no Ollama at " + url + " (" + e.getMessage() + ")",
                    "start Ollama (`ollama serve`) and run `ollama pull " + s.model() + "`, or fix tiers." + tier + ".base-url");
        } catch (BadAnswer e) {
            return ModelCheck.problem(tier, "tier " + tier + ": " + url + "/api/tags " + e.getMessage(),
                    "check that tiers." + tier + ".base-url points at Ollama");
        }
        List<String> names = new ArrayList<>();
        tags.path("models").forEach(m -> names.add(m.path("name").asText(m.path("model").asText())));
        boolean has = names.stream().anyMatch(n -> n.equals(s.model()) || (!s.model().contains(":") && n.equals(s.model() + ":latest")));
        return has
                ? ModelCheck.ok(tier, "tier " + tier + ": Ollama at " + url + " has " + s.model())
                : ModelCheck.problem(tier, "tier " + tier + ": Ollama at " + url + " has no model " + s.model(),
                "run `ollama pull " + s.model() + "`");
    }

    static ModelCheck openAi(TierSettings s, Map<String, String> env, Duration timeout) {
        String url = s.baseUrl();
        String tier = s.tier();
        JsonNode models;
        try {
            models = get(url + "/models", s.apiKey(env), timeout);
        } catch (Unreachable e) {
            return ModelCheck.problem(tier, "tier " + tier + ": nothing answers at " + url + " (" + e.getMessage() + ")",
                    "start the model server (LM Studio's server, mlx_lm.server, vLLM, llama.cpp) or fix tiers." + tier + ".base-url");
        } catch (BadAnswer e) {
            String fix = e.status == 401 || e.status == 403
                    ? "set the API key in the environment variable named by tiers." + tier + ".api-key-env"
                    : "check that tiers." + tier + ".base-url is the server's /v1 URL";
            return ModelCheck.problem(tier, "tier " + tier + ": " + url + "/models " + e.getMessage(), fix);
        }
        List<String> ids = new ArrayList<>();
        boolean llamaCpp = false;
        for (JsonNode m : models.path("data")) {
            ids.add(m.path("id").asText());
            llamaCpp |= "llamacpp".equals(m.path("owned_by").asText());
        }
        if (!ids.contains(s.model()) && llamaCpp) {
            // llama.cpp's server has one model and answers with it whatever name a request gives.
            return ModelCheck.ok(tier, "tier " + tier + ": llama.cpp at " + url + " serves " + String.join(", ", ids)
                    + " (it answers with that model whatever tiers." + tier + ".model says)");
        }
        return ids.contains(s.model())
                ? ModelCheck.ok(tier, "tier " + tier + ": " + url + " serves " + s.model())
                : ModelCheck.problem(tier, "tier " + tier + ": the server at " + url + " has no model " + s.model()
                        + " (it has: " + (ids.isEmpty() ? "none" : String.join(", ", ids)) + ")",
                "load " + s.model() + " in the server, or set tiers." + tier + ".model to one it has");
    }

    private static JsonNode get(String url, String apiKey, Duration timeout) throws Unreachable, BadAnswer {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET();
            if (apiKey != null) {
                request.header("Authorization", "Bearer " + apiKey);
            }
            HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new BadAnswer(r.statusCode(), "answered HTTP " + r.statusCode());
            }
            return JSON.readTree(r.body());
        } catch (ConnectException e) {
            throw new Unreachable(e.getMessage() == null || e.getMessage().isBlank() ? "connection refused" : e.getMessage());
        } catch (HttpTimeoutException e) {
            throw new Unreachable("no answer within " + timeout.toMillis() + " ms");
        } catch (UnknownHostException | UnresolvedAddressException e) {
            throw new Unreachable("unknown host");
        } catch (IllegalArgumentException e) {
            throw new Unreachable("not a valid URL: " + e.getMessage());
        } catch (IOException e) {
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                throw new BadAnswer(200, "answered with something that is not JSON");
            }
            throw new Unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        } finally {
            client.close();
        }
    }

    private static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    private static final class BadAnswer extends Exception {
        final int status;

        BadAnswer(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
