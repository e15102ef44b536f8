package dev.qastream.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.UnauthorizedResponse;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The workbench's HTTP surface under /review: the page, the list and the pair as HTML fragments (rendered by
 * precompiled jte templates, every value escaped), and the actions as JSON posts.
 */
final class WebRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN_COOKIE = "qastream_review_token";
    /** A header a plain cross-site form cannot send: posts without it are refused. */
    static final String ACTION_HEADER = "X-Review-Action";
    private static final int PAGE_SIZE = 50;

    private final ReviewStore store;
    private final Reviews reviews;
    private final ReviewSettings settings;
    private final BooleanSupplier loaded;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    private final Map<String, Supplier<PlainReply>> shared;

    /** @param shared paths served for another part of the process, outside the workbench's guard */
    WebRoutes(ReviewStore store, Reviews reviews, ReviewSettings settings, BooleanSupplier loaded,
              Map<String, Supplier<PlainReply>> shared) {
        this.shared = Map.copyOf(shared);
        this.store = store;
        this.reviews = reviews;
        this.settings = settings;
        this.loaded = loaded;
    }

    void register(RoutesConfig r) {
        r.before(ctx -> {
            if (!shared.containsKey(ctx.path())) {
                guard(ctx);
            }
        });
        shared.forEach((path, reply) -> r.get(path, ctx -> {
            PlainReply out = reply.get();
            ctx.status(out.status()).contentType(out.contentType()).result(out.body());
        }));
        r.get("/", ctx -> ctx.redirect("/review"));
        r.get("/review", ctx -> ctx.html(render("review.jte", new PageModel(store.values("tier"), store.values("model"),
                store.values("prompt_version"), store.acceptThreshold(), settings.reviewer()))));
        r.get("/review/list", ctx -> {
            int offset = parseInt(ctx.queryParam("offset"), 0);
            int limit = Math.clamp(parseInt(ctx.queryParam("limit"), PAGE_SIZE), 5, 500);
            PairFilter filter = PairFilter.from(single(ctx));
            ctx.html(render("list.jte", ListView.of(store.page(filter, offset, limit),
                    store.coverageMatching(filter.documentGlob()))));
        });
        r.get("/review/pair", ctx -> {
            var pair = store.pair(ctx.queryParam("key"));
            if (pair.isEmpty()) {
                ctx.status(404).html(render("missing.jte", ctx.queryParam("key")));
                return;
            }
            ctx.html(render("pair.jte", PairDetail.of(store, pair.get())));
        });
        r.get("/review/status", ctx -> json(ctx, JSON.createObjectNode().put("pairs", store.count())
                .put("loaded", loaded.getAsBoolean())));
        r.post("/review/decide", this::decide);
        r.post("/review/accept-borderline", ctx -> {
            String document = JSON.readTree(ctx.body()).path("document").asText();
            json(ctx, JSON.createObjectNode().put("accepted", reviews.acceptBorderline(document)));
        });
        r.exception(IllegalArgumentException.class, (e, ctx) -> json(ctx.status(400),
                JSON.createObjectNode().put("error", e.getMessage())));
        r.exception(IllegalStateException.class, (e, ctx) -> json(ctx.status(503),
                JSON.createObjectNode().put("error", e.getMessage())));
    }

    private void decide(Context ctx) throws Exception {
        JsonNode body = JSON.readTree(ctx.body());
        String key = body.path("key").asText();
        long seen = body.path("seen").asLong(-1);
        Reviews.Outcome outcome = switch (body.path("action").asText()) {
            case "accept" -> reviews.accept(key, seen);
            case "reject" -> reviews.reject(key, body.path("reason").asText(null), seen);
            case "edit" -> reviews.edit(key, body.path("question").asText(null), body.path("answer").asText(null),
                    body.path("confirm").asBoolean(false), seen);
            case "undo" -> reviews.undo(key, seen);
            default -> throw new IllegalArgumentException("action is accept, reject, edit or undo");
        };
        ObjectNode out = JSON.createObjectNode();
        out.put("needsConfirm", outcome.needsConfirm());
        out.set("decision", decisionJson(outcome.decision()));
        out.set("replaced", decisionJson(outcome.replaced()));
        if (outcome.editScore() != null) {
            out.putObject("editScore").put("overall", outcome.editScore().overall())
                    .put("accepted", outcome.editScore().accepted())
                    .set("reasons", JSON.valueToTree(outcome.editScore().reasons()));
        }
        json(ctx, out);
    }

    private static JsonNode decisionJson(Decision d) {
        if (d == null) {
            return JSON.nullNode();
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("verdict", d.verdict()).put("reviewer", d.reviewer()).put("decidedAtMs", d.decidedAtMs())
                .put("offset", d.offset()).put("reason", d.reason());
        return o;
    }

    /** Token (off loopback), the Host header (on loopback, against DNS rebinding) and the action header on posts. */
    private void guard(Context ctx) {
        if (settings.loopback() && !loopbackHost(ctx.host())) {
            throw new ForbiddenResponse("this workbench answers to 127.0.0.1 or localhost only");
        }
        if (settings.token() != null) {
            String given = ctx.queryParam("token");
            if (given == null) {
                given = ctx.cookie(TOKEN_COOKIE);
            }
            String auth = ctx.header("Authorization");
            if (given == null && auth != null && auth.startsWith("Bearer ")) {
                given = auth.substring(7).trim();
            }
            if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                    settings.token().getBytes(StandardCharsets.UTF_8))) {
                throw new UnauthorizedResponse("open /review?token=... with the token in " + ReviewSettings.TOKEN_ENV);
            }
            if (ctx.queryParam("token") != null) {
                ctx.header("Set-Cookie", TOKEN_COOKIE + "=" + given + "; Path=/review; HttpOnly; SameSite=Strict");
            }
        }
        if (ctx.method().name().equals("POST") && !"1".equals(ctx.header(ACTION_HEADER))) {
            throw new ForbiddenResponse("posts come from the workbench page only");
        }
    }

    private static boolean loopbackHost(String hostHeader) {
        if (hostHeader == null) {
            return true;
        }
        String host = hostHeader.startsWith("[") ? hostHeader.substring(1, hostHeader.indexOf(']'))
                : hostHeader.replaceFirst(":\\d+$", "");
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name other than localhost: never resolved here
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private String render(String template, Object model) {
        StringOutput out = new StringOutput();
        templates.render(template, model, out);
        return out.toString();
    }

    private static void json(Context ctx, JsonNode node) {
        ctx.contentType("application/json").result(node.toString());
    }

    private static Map<String, String> single(Context ctx) {
        Map<String, String> q = new HashMap<>();
        ctx.queryParamMap().forEach((k, v) -> q.put(k, v.isEmpty() ? null : v.getFirst()));
        return q;
    }

    private static int parseInt(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
