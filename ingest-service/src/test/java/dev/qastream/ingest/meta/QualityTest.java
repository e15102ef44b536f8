package dev.qastream.ingest.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qastream.schemas.ChunkQuality;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;

class QualityTest {

    private static final DocumentInfo FULL = DocumentInfo.newBuilder().setTitle("T").setFeatureName("T")
            .setProductNumbers(List.of("CXC1")).setFeatureState("Basic").build();
    private static final DocumentInfo BARE = DocumentInfo.newBuilder().setTitle(null).setFeatureName("file")
            .setProductNumbers(List.of()).setFeatureState(null).build();

    @Test
    void completenessOfDocumentFieldsAlone() {
        assertThat(Quality.completeness(FULL, List.of("Description"), List.of())).isEqualTo(1.0);
        assertThat(Quality.completeness(BARE, List.of("Description"), List.of())).isEqualTo(0.25);
        assertThat(Quality.completeness(BARE, List.of(), List.of())).isZero();
    }

    @Test
    void completenessAveragesDocumentAndParameterFields() {
        Parameter full = Parameter.newBuilder().setName("a").setMoClass("M").setDescription("d").setValidValues("v")
                .setDefaultValue("0").setUnit(null).build();
        Parameter half = Parameter.newBuilder().setName("b").setMoClass(null).setDescription("d").setValidValues(null)
                .setDefaultValue("1").setUnit(null).build();
        assertThat(Quality.completeness(FULL, List.of("P"), List.of(full, half))).isEqualTo((1.0 + 0.75) / 2);

        ChunkQuality q = Quality.measure(FULL, List.of("P"), List.of(full), 3, 12.3456);
        assertThat(q.getParameterCount()).isEqualTo(1);
        assertThat(q.getCounterCount()).isEqualTo(3);
        assertThat(q.getTechnicalDensity()).isEqualTo(12.35);
        assertThat(q.getCompleteness()).isEqualTo(1.0);
    }
}
