package dev.qastream.launcher;

import dev.qastream.review.ReviewSettings;
import dev.qastream.review.ReviewWorkbench;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.TopicAdmin;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.platform.EmbeddedPlatform;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.ChunkQuality;
import dev.qastream.schemas.DocumentCoverage;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ReviewDecision;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.schemas.TermTiers;
import dev.qastream.schemas.UncoveredFact;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The review workbench in Debian's chromium, against one embedded platform (broker and registry) holding
 * scored pairs, their chunks and a document's coverage: filter, accept, edit, reject with the keyboard, a second reviewer's decision
 * meanwhile; the decisions are on review.decisions, a reload and a restarted workbench show them; markup in a
 * document is shown as text and never runs.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReviewWorkbenchBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String GUIDE = "guides/ospf.md";
    private static final String EVIL = "notes/evil.md";
    private static final String BULK = "bulk/many.md";
    private static final int BULK_PAIRS = 12;

    private static EmbeddedPlatform platform;
    private static ServiceContext ctx;
    private static Config config;
    private static ReviewWorkbench workbench;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver");
        Path dir = Files.createTempDirectory("qastream-review");
        platform = EmbeddedPlatform.start(dir.resolve("data"));
        config = Config.load(null).with(Map.of("data-dir", dir.resolve("data").toString(), "review.port", "0",
                "review.reviewer", "tester"));
        ctx = ServiceContext.create(config, new KafkaSettings(platform.bootstrapServers(), config),
                platform.registryApiUrl(), new SimpleMeterRegistry());
        TopicAdmin.ensureTopics(ctx.kafka(), ctx.topics());
        seed();
        workbench = startWorkbench();
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1500,950");
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (workbench != null) {
            workbench.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    private static ReviewWorkbench startWorkbench() throws InterruptedException {
        ReviewWorkbench wb = ReviewWorkbench.start(ctx.kafka(), ctx.topics(), ReviewSettings.from(config, null),
                new ReviewEditScorer(config));
        assertThat(wb.awaitLoaded(Duration.ofSeconds(30))).isTrue();
        return wb;
    }

    @Test
    void reviewWithTheKeyboardKeepsEachDecisionOnTheTopic() throws Exception {
        open();
        // Given the list filtered to one document
        WebElement doc = browser.findElement(By.name("doc"));
        doc.sendKeys("guides/*", Keys.ENTER);
        waitFor(() -> rowKeys().size() == 4);
        assertThat(rowKeys()).allMatch(k -> k.startsWith(GUIDE));
        // and j/k move the selection
        keys("j");
        waitFor(() -> selectedKey().endsWith("#1"));
        keys("k");
        waitFor(() -> selectedKey().endsWith("#0") && detailKey().endsWith("#0"));
        // and the document's coverage from coverage.documents is shown beside its pairs
        assertThat(browser.findElement(By.id("coverage")).getText()).contains("facts covered 3 of 4 (75%)");
        assertThat(browser.findElement(By.cssSelector("#pair .uncovered")).getText())
                .contains("the dead interval (40 s) — answered wrongly: " + GUIDE + "#0#2: answer says 30 s");
        assertThat(browser.findElement(By.id("list-coverage")).getText()).contains(GUIDE + ": facts covered 3 of 4");

        // When the first is accepted, the second edited, the third rejected, with the keyboard alone
        keys("a");
        waitForNotice("Saved: ACCEPTED");
        waitFor(() -> detailKey().endsWith("#1"));
        keys("e");
        WebElement answer = browser.findElement(By.cssSelector("#edit-form textarea[name=answer]"));
        answer.sendKeys(Keys.chord(Keys.CONTROL, "a"), "The hello interval is 10 seconds on broadcast links.");
        answer.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
        waitFor(() -> notice().contains("Saved: EDITED") || scoreWarning().contains("scorer rejects"));
        if (!notice().contains("Saved: EDITED")) {
            answer.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER)); // keep it anyway
        }
        waitForNotice("Saved: EDITED");
        waitFor(() -> detailKey().endsWith("#2"));
        keys("r");
        WebElement reason = browser.findElement(By.cssSelector("#reject-form select[name=reason]"));
        reason.sendKeys(Keys.ARROW_DOWN, Keys.ENTER);
        waitForNotice("Saved: REJECTED");
        waitFor(() -> detailKey().endsWith("#3"));

        // and another reviewer decides on the fourth while this page shows it
        HttpResponse<String> other = post("/review/decide", "{\"key\":\"" + GUIDE + "#0#3\",\"action\":\"reject\",\"seen\":-1}");
        assertThat(other.statusCode()).isEqualTo(200);
        keys("a");
        // then the page says the decision had changed, and this later one wins
        waitForNotice("changed after you opened it: REJECTED by tester");

        Map<String, ReviewDecision> onTopic = decisionsOnTheTopic();
        assertThat(onTopic.get(GUIDE + "#0#0").getDecision().name()).isEqualTo("ACCEPTED");
        ReviewDecision edited = onTopic.get(GUIDE + "#0#1");
        assertThat(edited.getDecision().name()).isEqualTo("EDITED");
        assertThat(edited.getEditedAnswer()).isEqualTo("The hello interval is 10 seconds on broadcast links.");
        assertThat(edited.getEditedScore()).as("the edit was scored before it was kept").isNotNull();
        assertThat(edited.getPairFingerprint()).hasSize(64);
        assertThat(edited.getReviewer()).isEqualTo("tester");
        assertThat(onTopic.get(GUIDE + "#0#2").getReason()).isEqualTo("not answerable from the source");
        assertThat(onTopic.get(GUIDE + "#0#3").getDecision().name()).isEqualTo("ACCEPTED");

        // A reload keeps them
        browser.navigate().refresh();
        browser.findElement(By.name("doc")).sendKeys("guides/*", Keys.ENTER);
        waitFor(() -> states().equals(List.of("accepted", "edited", "rejected", "accepted")));
        keys("j");
        waitFor(() -> detailKey().endsWith("#1"));
        screenshot();

        // and so does a restarted workbench, which reads them back from review.decisions
        workbench.close();
        workbench = startWorkbench();
        open();
        browser.findElement(By.name("doc")).sendKeys("guides/*", Keys.ENTER);
        waitFor(() -> states().equals(List.of("accepted", "edited", "rejected", "accepted")));

        // undo withdraws a decision: the pair is not reviewed again
        keys("u");
        waitForNotice("Decision withdrawn.");
        assertThat(decisionsOnTheTopic()).doesNotContainKey(GUIDE + "#0#0");
    }

    @Test
    void theKeyboardAloneGoesThroughEveryPairAcrossPages() {
        // Given pages of 5 pairs
        browser.get(workbench.url() + "?limit=5");
        waitFor(() -> !rowKeys().isEmpty());
        browser.findElement(By.name("doc")).sendKeys("bulk/*", Keys.ENTER);
        waitFor(() -> rowKeys().size() == 5 && rowKeys().getFirst().startsWith(BULK) && detailKey().startsWith(BULK));

        // When the document's borderline pairs are accepted at once (b), then every pair with a, typed fast
        keys("b");
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent()).accept();
        waitForNotice("Accepted " + BULK_PAIRS / 2 + " borderline pairs of " + BULK);
        keys("a".repeat(BULK_PAIRS));

        // Then the last page was reached and every pair is accepted on the topic
        waitFor(() -> browser.findElement(By.id("pager")).getText().startsWith("Pairs 11–12 of 12")
                && states().equals(List.of("accepted", "accepted")));
        Map<String, ReviewDecision> onTopic = decisionsOnTheTopic();
        for (int i = 0; i < BULK_PAIRS; i++) {
            assertThat(onTopic.get(BULK + "#0#" + i)).as("pair %d", i).isNotNull()
                    .extracting(d -> d.getDecision().name()).isEqualTo("ACCEPTED");
        }
    }

    @Test
    void markupInADocumentIsShownAsTextAndNeverRuns() throws Exception {
        open();
        browser.findElement(By.name("doc")).sendKeys("notes/*", Keys.ENTER);
        waitFor(() -> rowKeys().size() == 1 && detailKey().startsWith(EVIL));
        String source = browser.findElement(By.cssSelector("#pair .source")).getText();
        assertThat(source).contains("<script>window.pwned = 'script'</script>")
                .contains("<img src=x onerror=\"window.pwned = 'img'\">");
        assertThat(browser.findElement(By.cssSelector("#pair .question")).getText()).contains("<script>");
        assertThat(browser.findElements(By.cssSelector("#detail img, #detail script, #list script"))).isEmpty();
        assertThat(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined")).isEqualTo(true);
    }

    @Test
    void anAddressOtherThanLoopbackNeedsTheToken() throws Exception {
        Config open = config.with("review.host", "0.0.0.0");
        assertThatThrownBy(() -> ReviewWorkbench.start(ctx.kafka(), ctx.topics(), ReviewSettings.from(open, null),
                new ReviewEditScorer(open))).hasMessageContaining(ReviewSettings.TOKEN_ENV);

        try (ReviewWorkbench guarded = ReviewWorkbench.start(ctx.kafka(), ctx.topics(),
                ReviewSettings.from(open, "s3cret"), new ReviewEditScorer(open))) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + guarded.port();
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/review")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/review/list")).header("Authorization", "Bearer nope")
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            HttpResponse<String> in = http.send(HttpRequest.newBuilder(URI.create(base + "/review?token=s3cret")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(in.statusCode()).isEqualTo(200);
            assertThat(in.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).contains("HttpOnly"));
        }
    }

    // ---- data ----

    private static void seed() throws Exception {
        String guide = """
                OSPF routers discover neighbours with hello packets. The hello interval is 10 seconds on broadcast links.
                A neighbour is declared down when no hello arrives within the dead interval.

                | Timer | Default |
                |---|---|
                | hello-interval | 10 s |
                | dead-interval | 40 s |""";
        String evil = "Notes with markup: <script>window.pwned = 'script'</script> and "
                + "<img src=x onerror=\"window.pwned = 'img'\"> inside.";
        Topics topics = ctx.topics();
        try (var chunks = new KafkaProducer<>(ctx.kafka().producer("seed-chunks"), topics.chunks.keySerde().serializer(),
                topics.chunks.valueSerde().serializer());
             var scored = new KafkaProducer<>(ctx.kafka().producer("seed-scored"), topics.scored.keySerde().serializer(),
                     topics.scored.valueSerde().serializer())) {
            chunks.send(new ProducerRecord<>(Topics.INGEST_CHUNKS, GUIDE + "#0", chunk(GUIDE, guide))).get();
            chunks.send(new ProducerRecord<>(Topics.INGEST_CHUNKS, EVIL + "#0", chunk(EVIL, evil))).get();
            String[][] pairs = {
                {"What is the OSPF hello interval on broadcast links?", "10 seconds."},
                {"How often does OSPF send hello packets?", "Every 10 s."},
                {"What is the dead interval default?", "40 s."},
                {"When is a neighbour declared down?", "When no hello arrives within the dead interval."}};
            for (int i = 0; i < pairs.length; i++) {
                QaPair p = pair(GUIDE, i, pairs[i][0], pairs[i][1]);
                scored.send(new ProducerRecord<>(Topics.SCORING_SCORED, p.getPairKey(), scored(p, 0.70 + i * 0.05))).get();
            }
            chunks.send(new ProducerRecord<>(Topics.INGEST_CHUNKS, BULK + "#0", chunk(BULK, guide))).get();
            for (int i = 0; i < BULK_PAIRS; i++) {
                // every other one borderline (0.70, within 0.1 of the threshold 0.75), the rest clearly accepted
                QaPair p = pair(BULK, i, "Question " + i + " about the hello interval?", "Answer " + i + ": 10 seconds.");
                scored.send(new ProducerRecord<>(Topics.SCORING_SCORED, p.getPairKey(), scored(p, i % 2 == 0 ? 0.70 : 0.95)));
            }
            scored.flush();
            QaPair bad = pair(EVIL, 0, "What does <script>alert(1)</script> do?", "<b>It</b> runs.");
            scored.send(new ProducerRecord<>(Topics.SCORING_SCORED, bad.getPairKey(), scored(bad, 0.5))).get();
        }
        try (var coverage = new KafkaProducer<>(ctx.kafka().producer("seed-coverage"), topics.coverage.keySerde().serializer(),
                topics.coverage.valueSerde().serializer())) {
            UncoveredFact dead = UncoveredFact.newBuilder().setFactId("f2").setKind("default").setSubject("dead-interval")
                    .setValue("40 s").setText("the dead interval").setReason("answered wrongly")
                    .setDetail(GUIDE + "#0#2: answer says 30 s; the document says 40 s").build();
            coverage.send(new ProducerRecord<>(Topics.COVERAGE_DOCUMENTS, GUIDE, DocumentCoverage.newBuilder()
                    .setDocumentId(GUIDE).setFacts(4).setCovered(3).setUncovered(List.of(dead)).setAcceptedPairs(3)
                    .setDiversity(0.5).build())).get();
        }
    }

    private static Chunk chunk(String document, String text) {
        return Chunk.newBuilder().setChunkId(document + "#0").setDocumentId(document).setOrdinal(0).setText(text)
                .setChecksum("c-" + document).setTokenEstimate(60).setComplexity(0.4)
                .setDocument(DocumentInfo.newBuilder().build()).setTerms(TermTiers.newBuilder().build())
                .setQuality(ChunkQuality.newBuilder().build()).build();
    }

    private static QaPair pair(String document, int slot, String question, String answer) {
        return QaPair.newBuilder().setPairKey(document + "#0#" + slot).setChunkId(document + "#0").setDocumentId(document)
                .setSlot(slot).setQuestion(question).setAnswer(answer).setTier("fast").setBackend("sim").setModel("m")
                .setPromptVersion("v1").setChunkChecksum("c-" + document).setGeneratedAtMs(1).setRevision(3).build();
    }

    private static ScoredPair scored(QaPair p, double overall) {
        return ScoredPair.newBuilder().setPair(p).setStructural(overall).setOverall(overall).setAccepted(overall >= 0.75)
                .setReasons(overall >= 0.75 ? List.of() : List.of("overall below 0.75"))
                .setDocument(DocumentInfo.newBuilder().build()).setTerms(TermTiers.newBuilder().build())
                .setScoredAtMs(1).build();
    }

    private static Map<String, ReviewDecision> decisionsOnTheTopic() {
        Map<String, ReviewDecision> latest = new HashMap<>();
        var serde = ctx.topics().reviewDecisions.valueSerde().deserializer();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(ctx.kafka().rawConsumer(null))) {
            List<TopicPartition> parts = c.partitionsFor(Topics.REVIEW_DECISIONS).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    String key = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        latest.remove(key);
                    } else {
                        latest.put(key, serde.deserialize(r.topic(), r.value()));
                    }
                }
            }
        }
        return latest;
    }

    // ---- page ----

    private static void open() {
        browser.get(workbench.url());
        waitFor(() -> !rowKeys().isEmpty());
    }

    private static void keys(String key) {
        new Actions(browser).sendKeys(key).perform();
    }

    private static List<String> rowKeys() {
        return browser.findElements(By.cssSelector("#list tr.row")).stream().map(r -> r.getAttribute("data-key")).toList();
    }

    private static List<String> states() {
        return browser.findElements(By.cssSelector("#list tr.row td.state")).stream().map(WebElement::getText).toList();
    }

    private static String selectedKey() {
        return browser.findElements(By.cssSelector("#list tr.row.selected")).stream()
                .map(r -> r.getAttribute("data-key")).findFirst().orElse("");
    }

    private static String detailKey() {
        return browser.findElements(By.id("pair")).stream().map(p -> p.getAttribute("data-key")).findFirst().orElse("");
    }

    private static String notice() {
        return browser.findElement(By.id("notice")).getText();
    }

    private static String scoreWarning() {
        return browser.findElements(By.id("edit-score")).stream().map(WebElement::getText).findFirst().orElse("");
    }

    private static void waitForNotice(String text) {
        waitFor(() -> notice().contains(text));
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, Duration.ofSeconds(15)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> condition.getAsBoolean());
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(workbench.url().replace("/review", "") + path))
                .header("Content-Type", "application/json").header("X-Review-Action", "1")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void screenshot() throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "review-workbench.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
