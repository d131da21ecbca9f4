package dev.lstm4j.peer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchConfigsTest {

    @Test
    void catalogueHoldsTheSizesTheIssueNames() {
        assertEquals(16, BenchConfigs.all().size());
        var large = BenchConfigs.byName("large").shape();
        assertEquals(List.of(100, 64, 512, 512), List.of(large.seqLen(), large.batch(), large.inputSize(),
                large.hiddenSize()));
        assertEquals(2, BenchConfigs.byName("medium-2layer").shape().numLayers());
        assertTrue(BenchConfigs.byName("medium-bidir").shape().bidirectional());
        assertEquals(25, BenchConfigs.byName("deepbench-h2048-b128").shape().seqLen());
    }

    @Test
    void groupsExpandInOrderWithoutRepeats() {
        List<String> names = BenchConfigs.resolve(List.of("small", "standard", "deepbench")).stream()
                .map(BenchConfig::name).toList();
        assertEquals(4 + 9, names.size());
        assertEquals(List.of("small", "medium", "large", "xl"), names.subList(0, 4));
    }

    @Test
    void unknownNameIsRejectedWithTheKnownNames() {
        var e = assertThrows(IllegalArgumentException.class, () -> BenchConfigs.resolve(List.of("huge")));
        assertTrue(e.getMessage().contains("'huge'") && e.getMessage().contains("medium-bidir"), e.getMessage());
    }

    @Test
    void flopsFollowTheDocumentedFormulaAcrossLayersAndDirections() {
        var medium = BenchConfigs.byName("medium").shape();
        double layer0 = 2.0 * 50 * 32 * 4 * 256 * (256 + 256);
        assertEquals(layer0, medium.forwardFlops());
        // Layer 1 of the bidirectional 2-layer case would see 2H inputs; the 2-layer case sees H.
        assertEquals(2 * layer0, BenchConfigs.byName("medium-2layer").shape().forwardFlops());
        assertEquals(2 * layer0, BenchConfigs.byName("medium-bidir").shape().forwardFlops());
    }
}
