package dev.qastream.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DocumentParsersTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void emptyAndWhitespaceOnlyFilesAreEmpty() {
        assertThatThrownBy(() -> DocumentParsers.parse("a.md", new byte[0]))
                .isInstanceOf(UnreadableDocumentException.class).hasMessage("file is empty");
        assertThatThrownBy(() -> DocumentParsers.parse("a.md", utf8(" \n\t\r\n  ")))
                .hasMessage("file is empty");
        assertThatThrownBy(() -> DocumentParsers.parse("a.pdf", utf8("\n\n"))).hasMessage("file is empty");
        assertThatThrownBy(() -> DocumentParsers.parse("a.csv", utf8("\uFEFF  "))).hasMessage("file is empty");
    }

    @Test
    void crOnlyLineEndsAndControlCharactersReadLikePlainText() throws Exception {
        // Given the same markdown with LF, CR-only and mixed line ends, one of them with a terminal colour and a bell
        String lf = "DOCTITLE: Line Ends\n\n## Description\n\nFirst paragraph.\n\n" + "Second paragraph. ".repeat(20) + "\n";
        String cr = lf.replace('\n', '\r');
        String mixed = lf.replaceFirst("\n", "\r\n").replace("\n\n", "\r\r").replace("First", "\u001b[1mFirst\u001b[0m\u0007");
        // Then all three read the same: title, section and paragraphs, no control character left
        ParsedDocument expected = DocumentParsers.parse("lf.md", utf8(lf));
        for (String text : new String[] {cr, mixed}) {
            ParsedDocument doc = DocumentParsers.parse("other.md", utf8(text));
            assertThat(doc.info().getTitle()).isEqualTo("Line Ends");
            assertThat(doc.sections()).isEqualTo(expected.sections());
        }
    }

    @Test
    void aDocumentWithoutTextIsRefused() {
        assertThatThrownBy(() -> DocumentParsers.parse("h.md", utf8("# One\n\n## Two\n")))
                .hasMessageStartingWith("no text to ingest");
        assertThatThrownBy(() -> DocumentParsers.parse("s.html", utf8("<html><body><script>x()</script></body></html>")))
                .hasMessageStartingWith("no text to ingest");
    }

    @Test
    void pathologicallyNestedDocumentsAreUnreadableNotAnError() {
        // Given markdown lists, quotes and HTML elements nested 10,000 deep
        String md = "DOCTITLE: Deep\n\n## Description\n\n" + "- ".repeat(10_000) + "item\n\n" + ">".repeat(10_000) + " quote\n";
        String html = "<html><body>" + "<div>".repeat(10_000) + "text" + "</div>".repeat(10_000) + "</body></html>";
        // Then each either parses or is refused with a reason: never an Error that would fail the whole scan
        for (String[] doc : new String[][] {{"deep.md", md}, {"deep.html", html}}) {
            try {
                assertThat(DocumentParsers.parse(doc[0], utf8(doc[1]))).isNotNull();
            } catch (UnreadableDocumentException e) {
                assertThat(e).hasMessageContaining("nested too deeply");
            }
        }
    }

    @Test
    void binaryContentIsRefusedByContent() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        assertThatThrownBy(() -> DocumentParsers.parse("notes/feature.md", png))
                .isInstanceOf(UnreadableDocumentException.class)
                .hasMessageStartingWith("binary content in a .md file");
        byte[] controls = new byte[200];
        for (int i = 0; i < controls.length; i++) {
            controls[i] = (byte) (i % 10 == 0 ? 0x01 : 'a');
        }
        assertThatThrownBy(() -> DocumentParsers.parse("blob", controls))
                .hasMessageStartingWith("binary content in a file without extension");
    }

    @Test
    void invalidUtf8NamesTheByteOffset() {
        byte[] bytes = utf8("# Title\n\nvalid text then ");
        byte[] bad = new byte[bytes.length + 3];
        System.arraycopy(bytes, 0, bad, 0, bytes.length);
        bad[bytes.length] = (byte) 0xC3; // a lead byte followed by a non-continuation byte
        bad[bytes.length + 1] = 'x';
        bad[bytes.length + 2] = '\n';
        assertThatThrownBy(() -> DocumentParsers.parse("a.md", bad))
                .hasMessage("invalid UTF-8 at byte " + bytes.length);
        byte[] latin1 = "Caf\u00e9 menu\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> DocumentParsers.parse("a.txt", latin1)).hasMessage("invalid UTF-8 at byte 3");
    }

    @Test
    void byteOrderMarksAreHonoured() throws Exception {
        byte[] withBom = utf8("\uFEFFDOCTITLE: Bom Feature\n\n## Description\n\nText.\n");
        assertThat(DocumentParsers.parse("a.md", withBom).info().getTitle()).isEqualTo("Bom Feature");
        byte[] utf16 = "\uFEFF# Wide\n\nUTF-16 text.\n".getBytes(StandardCharsets.UTF_16LE);
        ParsedDocument wide = DocumentParsers.parse("wide.md", utf16);
        assertThat(wide.info().getTitle()).isEqualTo("Wide");
        assertThat(wide.sections().get(0).blocks().get(0).text()).isEqualTo("UTF-16 text.");
    }

    @Test
    void formatByContentThenExtension() throws Exception {
        assertThat(DocumentParsers.parse("page.txt", utf8("<!DOCTYPE html><html><body><h1>T</h1><p>x</p></body></html>"))
                .format()).isEqualTo("html");
        assertThat(DocumentParsers.parse("a.md", utf8("  <html><body><p>x</p></body></html>")).format()).isEqualTo("html");
        assertThat(DocumentParsers.parse("a.htm", utf8("<p>fragment</p>")).format()).isEqualTo("html");
        assertThat(DocumentParsers.parse("a.markdown", utf8("# T\n\nx")).format()).isEqualTo("markdown");
        assertThat(DocumentParsers.parse("a.csv", utf8("a,b\n1,2\n")).format()).isEqualTo("csv");
        assertThat(DocumentParsers.parse("a.tsv", utf8("a\tb\n1\t2\n")).format()).isEqualTo("csv");
        assertThat(DocumentParsers.parse("README", utf8("# One\n\nx\n\n## Two\n\ny\n")).format()).isEqualTo("markdown");
        assertThat(DocumentParsers.parse("feature.txt", utf8("DOCTITLE: X\n\n## Description\n\nBody\n\n## More\n\nx\n")).format())
                .isEqualTo("markdown");
        assertThat(DocumentParsers.parse("spec.txt", utf8("1\tScope\n\nText.\n\n2\tReferences\n\nMore.\n")).format())
                .isEqualTo("3gpp-text");
        assertThat(DocumentParsers.parse("notes.txt", utf8("Just some notes.\n\nAnother paragraph.\n")).format())
                .isEqualTo("text");
        assertThat(DocumentParsers.parse("gnb.conf", utf8("gNBs = ({\n  gNB_ID = 0xe00;\n});\n")).format())
                .isEqualTo("text");
    }

    @Test
    void pdfIsDetectedByMagicNotExtension() {
        assertThatThrownBy(() -> DocumentParsers.parse("report.pdf", utf8("this is not a pdf at all")))
                .hasMessage("PDF is corrupt or unreadable: no %PDF header");
        assertThatThrownBy(() -> DocumentParsers.parse("download.bin", utf8("%PDF-1.7\nnothing else here")))
                .isInstanceOf(UnreadableDocumentException.class)
                .hasMessageStartingWith("PDF is corrupt or unreadable: ");
    }

    @Test
    void extensions() {
        assertThat(DocumentParsers.extension("a/b/c.MD")).isEqualTo("md");
        assertThat(DocumentParsers.extension("a/b.d/c")).isEmpty();
        assertThat(DocumentParsers.extension(".hidden")).isEmpty();
        assertThat(DocumentParsers.extension("x.")).isEmpty();
        assertThat(DocumentParsers.extension("dir\\file.Txt")).isEqualTo("txt");
    }
}
