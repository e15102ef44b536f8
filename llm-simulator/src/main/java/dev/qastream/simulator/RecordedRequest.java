package dev.qastream.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as the simulator received it, so tests can check what a client sent.
 *
 * @param protocol "HTTP/1.1" (the JDK server speaks no HTTP/2; an h2c attempt shows as an Upgrade header)
 * @param headers  header names in lower case
 * @param body     the JSON body, or null when there was none or it was not JSON
 * @param rawBody  the body as text
 */
public record RecordedRequest(String method, String path, String protocol, Map<String, List<String>> headers,
                              JsonNode body, String rawBody) {

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The content of the first message with this role ("system", "user"), or null. */
    public String message(String role) {
        if (body == null || !body.path("messages").isArray()) {
            return null;
        }
        for (JsonNode m : body.path("messages")) {
            if (role.equals(m.path("role").asText())) {
                return m.path("content").asText();
            }
        }
        return null;
    }
}
