package dev.qastream.ingest.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qastream.ingest.meta.ParameterExtractor.Field;
import dev.qastream.ingest.meta.ParameterExtractor.FieldValue;
import dev.qastream.schemas.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParameterExtractorTest {

    @Test
    void recognisesFieldLines() {
        assertThat(ParameterExtractor.field("MO Class: EUtranCellFDD")).isEqualTo(new FieldValue(Field.MO_CLASS, "EUtranCellFDD"));
        assertThat(ParameterExtractor.field("- Valid Values: 0 to 15")).isEqualTo(new FieldValue(Field.VALID_VALUES, "0 to 15"));
        assertThat(ParameterExtractor.field("  * **Default Value**: `true`")).isEqualTo(new FieldValue(Field.DEFAULT, "true"));
        assertThat(ParameterExtractor.field("Range: 1..8")).isEqualTo(new FieldValue(Field.VALID_VALUES, "1..8"));
        assertThat(ParameterExtractor.field("Unit: ms")).isEqualTo(new FieldValue(Field.UNIT, "ms"));
        assertThat(ParameterExtractor.field("Note: not a field")).isNull();
        assertThat(ParameterExtractor.field("no colon here")).isNull();
    }

    @Test
    void buildTakesMoClassFromDottedNameUnlessGiven() {
        Parameter p = ParameterExtractor.build("EUtranCellFDD.ttiBundlingUl", "Switch", List.of(
                new FieldValue(Field.DEFAULT, "false")));
        assertThat(p.getMoClass()).isEqualTo("EUtranCellFDD");
        assertThat(p.getName()).isEqualTo("ttiBundlingUl");
        assertThat(p.getDescription()).isEqualTo("Switch");
        assertThat(p.getDefaultValue()).isEqualTo("false");

        Parameter q = ParameterExtractor.build("`x.y`", "", List.of(new FieldValue(Field.MO_CLASS, "Other"),
                new FieldValue(Field.DESCRIPTION, "from field")));
        assertThat(q.getMoClass()).isEqualTo("Other");
        assertThat(q.getName()).isEqualTo("y");
        assertThat(q.getDescription()).isEqualTo("from field");
        assertThat(ParameterExtractor.qualifiedName(q)).isEqualTo("Other.y");
    }

    @Test
    void recognisesParameterTables() {
        List<String> header = List.of("Parameter", "MO Class", "Description", "Default", "Unit");
        List<Field> roles = ParameterExtractor.columnRoles(header);
        assertThat(roles).containsExactly(Field.NAME, Field.MO_CLASS, Field.DESCRIPTION, Field.DEFAULT, Field.UNIT);
        assertThat(ParameterExtractor.isParameterTable(header, roles)).isTrue();
        Parameter p = ParameterExtractor.fromRow(roles, List.of("`maxUes`", "GNBDUFunction", "Most UEs", "64", ""));
        assertThat(p.getName()).isEqualTo("maxUes");
        assertThat(p.getMoClass()).isEqualTo("GNBDUFunction");
        assertThat(p.getDefaultValue()).isEqualTo("64");
        assertThat(p.getUnit()).isNull();
        assertThat(ParameterExtractor.fromRow(roles, List.of("two words", "X", "", "", ""))).isNull();

        List<String> people = List.of("Name", "Description");
        assertThat(ParameterExtractor.isParameterTable(people, ParameterExtractor.columnRoles(people))).isFalse();
        List<String> options = List.of("Parameter", "Description");
        assertThat(ParameterExtractor.isParameterTable(options, ParameterExtractor.columnRoles(options))).isTrue();
        List<String> ranged = List.of("Name", "Range (dB)");
        assertThat(ParameterExtractor.isParameterTable(ranged, ParameterExtractor.columnRoles(ranged))).isTrue();
    }

    @Test
    void findsExactReferencesButNotFilesOrCalls() {
        assertThat(ParameterExtractor.exactReferences(
                "Set EUtranCellFDD.ttiBundlingUl and NRCellDU.ssbPeriodicity. See README.md, Config.yaml, "
                        + "docs/Foo.bar, Obj.call(), Foo.bar.baz, EUtranCellFDD.ttiBundlingUl again."))
                .containsExactly("EUtranCellFDD.ttiBundlingUl", "NRCellDU.ssbPeriodicity");
    }

    @Test
    void leadLines() {
        assertThat(ParameterExtractor.lead("- **A.b**: text")).isEqualTo(new ParameterExtractor.Lead("A.b", "text"));
        assertThat(ParameterExtractor.lead("maxRetx - number of retries")).isEqualTo(new ParameterExtractor.Lead("maxRetx", "number of retries"));
        assertThat(ParameterExtractor.lead("Two words: no")).isNull();
    }

    @Test
    void aSourceFileIsNotAParameterButAnAttributeNamedLikeALooseExtensionIs() {
        assertThat(ParameterExtractor.isFileName("oaioran.c")).isTrue();
        assertThat(ParameterExtractor.isFileName("README.md")).isTrue();
        assertThat(ParameterExtractor.isFileName("EUtranCellFDD.log")).isFalse();
        assertThat(ParameterExtractor.isFileName("NRCellDU.io")).isFalse();
        assertThat(ParameterExtractor.isFileName("ul_max_mcs")).isFalse();
    }
}
