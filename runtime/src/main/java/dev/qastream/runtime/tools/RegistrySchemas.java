package dev.qastream.runtime.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Avro schemas by the id in a Confluent-framed record, from the registry's Confluent-compatible API
 * ({@code /apis/ccompat/v7/schemas/ids/{id}}), references resolved, each id fetched once.
 */
public final class RegistrySchemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String ccompatUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();

    /** Any of: the registry's base URL, its v3 API URL or its ccompat URL. */
    public RegistrySchemas(String registryUrl) {
        this.ccompatUrl = ccompatUrl(registryUrl);
    }

    /** http://host:8080, .../apis/registry/v3 or .../apis/ccompat/v7 -> .../apis/ccompat/v7. */
    public static String ccompatUrl(String registryUrl) {
        String base = registryUrl.trim().replaceAll("/+$", "");
        int apis = base.indexOf("/apis/");
        if (apis >= 0) {
            base = base.substring(0, apis);
        }
        return base + "/apis/ccompat/v7";
    }

    public Schema byId(int id) {
        return byId.computeIfAbsent(id, this::fetch);
    }

    private Schema fetch(int id) {
        JsonNode body = get("/schemas/ids/" + id);
        Schema.Parser parser = new Schema.Parser();
        parseReferences(body, parser, new HashSet<>());
        return parser.parse(body.get("schema").asText());
    }

    /** Referenced schemas first, depth first, so the named types are known when the referring one is parsed. */
    private void parseReferences(JsonNode body, Schema.Parser parser, Set<String> seen) {
        JsonNode refs = body.get("references");
        if (refs == null) {
            return;
        }
        for (JsonNode ref : refs) {
            String subject = ref.get("subject").asText();
            String version = ref.get("version").asText();
            if (!seen.add(subject + "/" + version) || parser.getTypes().containsKey(ref.path("name").asText())) {
                continue;
            }
            JsonNode referenced = get("/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8)
                    + "/versions/" + version);
            parseReferences(referenced, parser, seen);
            parser.parse(referenced.get("schema").asText());
        }
    }

    private JsonNode get(String path) {
        URI uri = URI.create(ccompatUrl + path);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("registry answered " + r.statusCode() + " for " + uri + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the registry at " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching " + uri, e);
        }
    }
}
