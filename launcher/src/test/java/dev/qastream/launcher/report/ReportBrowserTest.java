package dev.qastream.launcher.report;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HTML report opened in a headless browser, from the file, as a reader would: the counts and the SVG
 * charts must render. Skipped where no Chromium is installed. The screenshot is kept as a build artifact,
 * {@code launcher/target/report-screenshot.png}.
 */
class ReportBrowserTest {
    static final Path SCREENSHOT = Path.of("target/report-screenshot.png");

    @TempDir
    Path dir;

    @Test
    void reportRendersCountsAndChartsInABrowser() throws Exception {
        Chromium chromium = Chromium.find();
        assumeTrue(chromium != null, "no chromium binary on PATH (or -Dqastream.chromium): the HTML report is not opened in a browser");

        // Given a report with something in every section
        QualityReport report = RichReport.state().report(1_764_000_100_000L);
        ReportFiles.write(report, dir);
        Path html = dir.resolve(ReportFiles.HTML_FILE);

        // When a headless browser opens it from the file
        String dom = chromium.dumpDom(html);
        chromium.screenshot(html, SCREENSHOT, 1280, 2000);

        // Then every count is shown with the value of report.json
        Document doc = Jsoup.parse(dom);
        QualityReport.Counts c = ReportFiles.read(dir.resolve(ReportFiles.JSON_FILE)).counts();
        Map<String, Long> expected = Map.of("documents", c.documents(), "chunks", c.chunks(), "pairs", c.pairs(),
                "accepted", c.accepted(), "rejected", c.rejected(), "dataset", c.dataset(), "removals", c.removals(),
                "deadLetters", c.deadLetters(), "ingestErrors", c.ingestErrors());
        expected.forEach((metric, value) -> {
            Element e = doc.selectFirst("[data-metric=" + metric + "]");
            assertThat(e).as(metric).isNotNull();
            assertThat(e.attr("data-value")).as(metric).isEqualTo(String.valueOf(value));
            assertThat(e.text()).as(metric).isEqualTo(String.format(java.util.Locale.ROOT, "%,d", value));
        });
        assertThat(c.pairs()).isEqualTo(288);
        assertThat(c.removals()).isEqualTo(1);
        // and the charts are there, as SVG with drawn bars: ring, tiers, histograms, types, completeness, DLQ, timeline
        Set<String> charts = new HashSet<>();
        doc.select("svg.chart").forEach(svg -> {
            charts.add(svg.attr("aria-label"));
            assertThat(svg.select("rect, circle")).as(svg.attr("aria-label")).isNotEmpty();
        });
        assertThat(charts).contains("share of pairs accepted", "accepted and rejected pairs by tier",
                "overall score histogram", "structural score histogram", "coherence score histogram",
                "pairs by question type", "metadata completeness", "dead letters by tier", "pairs scored over time",
                "facts covered per document");
        assertThat(doc.selectFirst("[data-metric=coverage]").attr("data-value")).isEqualTo(String.valueOf(48 - 12));
        assertThat(doc.select("svg.chart")).hasSizeGreaterThanOrEqualTo(10);
        // and nothing is loaded from elsewhere
        assertThat(doc.select("script, link[href], img[src^=http], iframe")).isEmpty();
        assertThat(Files.readString(html)).doesNotContain("http://fonts", "https://");
        // and rejection examples and the conflict are readable
        assertThat(doc.select("table.reasons .qa")).isNotEmpty();
        assertThat(doc.text()).contains("states default 16 for NRCellDU.pagingLoadLimit");

        // and the screenshot is a real page: full size, not one flat colour
        BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(image.getHeight()).isEqualTo(2000);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).isGreaterThan(50);
    }
}
