package dev.qastream.review;

import dev.qastream.schemas.QaPair;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.qastream.review.Records.coverage;
import static dev.qastream.review.Records.pair;
import static dev.qastream.review.Records.scored;
import static dev.qastream.review.Records.uncovered;
import static org.assertj.core.api.Assertions.assertThat;

/** The pair page and the list show the document's coverage from the store, through the precompiled templates. */
class CoveragePagesTest {
    private final ReviewStore store = new ReviewStore(0.75);
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void thePairPageShowsItsDocumentsCoverageAndUncoveredFactsEscaped() {
        QaPair p = pair("guides/ospf.md", 0, "q", "a", "fast", "m", "v", 1);
        store.putScored(p.getPairKey(), scored(p, 0.8, true));
        store.putScored("notes/x.md#0#0", scored(pair("notes/x.md", 0, "q", "a", "fast", "m", "v", 1), 0.8, true));
        store.putCoverage("guides/ospf.md", coverage("guides/ospf.md", 42, 37, 0.714,
                uncovered("f1", "the hello interval", "10 s", "never answered", null),
                uncovered("f2", "the <script>x()</script> tag", "<b>", "answered wrongly",
                        "guides/ospf.md#0#0: answer says <i>; the document says <b>")));
        store.putCoverage("notes/x.md", coverage("notes/x.md", 8, 2, 0.3));

        String page = render("pair.jte", PairDetail.of(store, store.pair(p.getPairKey()).orElseThrow()));

        assertThat(page).contains("Document coverage: facts covered 37 of 42 (88%) · diversity 0.71")
                .contains("the hello interval (10 s)</span> — <span class=\"why\">never answered</span>")
                .contains("the &lt;script&gt;x()&lt;/script&gt; tag (&lt;b&gt;)")
                .contains("answered wrongly: guides/ospf.md#0#0: answer says &lt;i&gt;; the document says &lt;b&gt;")
                .doesNotContain("<script>", "<b>", "<i>");

        String one = render("list.jte", ListView.of(store.page(PairFilter.ALL.withDocument("guides/*"), 0, 50),
                store.coverageMatching("guides/*")));
        assertThat(one).contains("Coverage guides/ospf.md: facts covered 37 of 42 (88%) · diversity 0.71");
        String all = render("list.jte", ListView.of(store.page(PairFilter.ALL, 0, 50), store.coverageMatching(null)));
        assertThat(all).contains("Coverage 2 documents: facts covered 39 of 50 (78%)");
        String none = render("list.jte", ListView.of(store.page(PairFilter.ALL.withDocument("other/*"), 0, 50),
                store.coverageMatching("other/*")));
        assertThat(none).doesNotContain("Coverage");
    }

    private String render(String template, Object model) {
        StringOutput out = new StringOutput();
        templates.render(template, model, out);
        return out.toString();
    }
}
