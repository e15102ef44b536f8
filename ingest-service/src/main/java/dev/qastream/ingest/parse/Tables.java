package dev.qastream.ingest.parse;

import dev.qastream.ingest.meta.ParameterExtractor;
import dev.qastream.ingest.meta.ParameterExtractor.Field;
import dev.qastream.schemas.Parameter;
import java.util.List;

/** Turns a table (header + rows) into blocks: parameter entries for parameter tables, table rows otherwise. */
final class Tables {

    private Tables() {}

    static void addRows(List<String> header, List<List<String>> rows, Integer page, SectionBuilder out) {
        List<Field> roles = ParameterExtractor.columnRoles(header);
        boolean parameters = ParameterExtractor.isParameterTable(header, roles);
        for (List<String> cells : rows) {
            String text = rowText(header, cells);
            if (text.isEmpty()) {
                continue;
            }
            Parameter p = parameters ? ParameterExtractor.fromRow(roles, cells) : null;
            out.add(p != null ? new Block.ParameterEntry(text, p, page) : new Block.TableRow(text, header, cells, page));
        }
    }

    /** {@code Header: value | Header: value}, empty cells left out, so a row reads on its own in a chunk. */
    static String rowText(List<String> header, List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String v = cells.get(i) == null ? "" : cells.get(i).strip();
            if (v.isEmpty()) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append(" | ");
            }
            String h = i < header.size() && header.get(i) != null ? header.get(i).strip() : "";
            if (!h.isEmpty()) {
                sb.append(h).append(": ");
            }
            sb.append(v);
        }
        return sb.toString();
    }
}
