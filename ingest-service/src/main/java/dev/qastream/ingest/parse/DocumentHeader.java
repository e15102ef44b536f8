package dev.qastream.ingest.parse;

import dev.qastream.schemas.DocumentInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metadata lines Ericsson-style documents carry before their first heading:
 * {@code DOCTITLE: ...}, {@code Product: CXC..., CXC...}, {@code Feature State: ...}.
 */
final class DocumentHeader {

    private static final Pattern LINE = Pattern.compile(
            "^[ \\t]*\\**(DOCTITLE|Doc Title|Product(?:s| Numbers?)?|Feature State)\\**[ \\t]*:[ \\t]*(.*?)[ \\t]*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PRODUCT_SPLIT = Pattern.compile("\\s*[,;]\\s*");

    String title;
    final List<String> products = new ArrayList<>();
    String featureState;

    /** Offset just past the header lines in the text they were read from (0 if there are none). */
    int end;

    /**
     * Reads header lines at the start of a text (blank lines between them allowed); stops at the
     * first other line.
     */
    static DocumentHeader read(String text) {
        DocumentHeader h = new DocumentHeader();
        int pos = 0;
        int n = text.length();
        if (n > 0 && text.charAt(0) == '\uFEFF') {
            pos = 1;
        }
        while (pos < n) {
            int eol = text.indexOf('\n', pos);
            int next = eol < 0 ? n : eol + 1;
            String line = text.substring(pos, eol < 0 ? n : eol);
            if (line.isBlank()) {
                pos = next;
                continue;
            }
            if (!h.accept(line)) {
                break;
            }
            pos = next;
            h.end = pos;
        }
        return h;
    }

    /** Takes one line if it is a header line. */
    boolean accept(String line) {
        if (line.length() > 400 || line.indexOf(':') < 0) {
            return false;
        }
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return false;
        }
        String key = m.group(1).toLowerCase(Locale.ROOT);
        String value = m.group(2).strip();
        if (key.startsWith("doc")) {
            title = value.isEmpty() ? title : value;
        } else if (key.startsWith("product")) {
            for (String p : PRODUCT_SPLIT.split(value)) {
                if (!p.isBlank()) {
                    products.add(p.strip());
                }
            }
        } else {
            featureState = value.isEmpty() ? featureState : value;
        }
        return true;
    }

    boolean isPresent() {
        return title != null || featureState != null || !products.isEmpty();
    }

    /**
     * Title: DOCTITLE, else the given title (e.g. HTML title, PDF title, first heading).
     * Feature name: DOCTITLE, else the first heading, else the title, else the file name.
     */
    DocumentInfo info(String documentId, String firstHeading, String fallbackTitle) {
        String t = title != null ? title : (fallbackTitle != null && !fallbackTitle.isBlank() ? fallbackTitle.strip() : firstHeading);
        String feature = title != null ? title : firstHeading != null ? firstHeading : t != null ? t : fileName(documentId);
        return DocumentInfo.newBuilder()
                .setTitle(t)
                .setFeatureName(feature)
                .setProductNumbers(List.copyOf(products))
                .setFeatureState(featureState)
                .build();
    }

    /** File name without folders and extension. */
    static String fileName(String documentId) {
        String name = documentId.substring(Math.max(documentId.lastIndexOf('/'), documentId.lastIndexOf('\\')) + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
