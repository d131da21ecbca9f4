package dev.lstm4j.api;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParameterLayoutTest {

    @Test
    void namesAndOrderMatchPyTorchStateDict() {
        ParameterLayout layout = new ParameterLayout(RnnSpec.lstm(7, 13).numLayers(2).bidirectional(true).build());
        assertEquals(List.of(
                "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"),
                layout.names());
    }

    @Test
    void peepholeWeightsFollowEachBlocksBiasesWithShape3ByH() {
        RnnSpec spec = RnnSpec.builder().cell(CellType.PEEPHOLE_LSTM).inputSize(7).hiddenSize(13).bidirectional(true)
                .build();
        ParameterLayout layout = new ParameterLayout(spec);
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_peephole_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_peephole_l0_reverse"), layout.names());
        assertArrayEquals(new long[] {3, 13}, layout.entry("weight_peephole_l0_reverse").shape());
        ParameterLayout.Block reverse = layout.block(0, 1);
        assertTrue(reverse.hasPeephole());
        assertEquals(layout.entry("weight_peephole_l0_reverse").offset(), reverse.peephole());
        assertEquals(2 * (52 * 7 + 52 * 13 + 2 * 52 + 3 * 13), layout.totalSize());
        assertFalse(new ParameterLayout(RnnSpec.lstm(7, 13).build()).block(0, 0).hasPeephole());
    }

    @Test
    void projectionAddsWeightHrAndNarrowsWeightHhLikePyTorch() {
        RnnSpec spec = RnnSpec.lstm(7, 13).projSize(5).numLayers(2).bidirectional(true).build();
        ParameterLayout layout = new ParameterLayout(spec);
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0"),
                layout.names().subList(0, 5));
        assertArrayEquals(new long[] {52, 5}, layout.entry("weight_hh_l0").shape());
        assertArrayEquals(new long[] {5, 13}, layout.entry("weight_hr_l1_reverse").shape());
        assertArrayEquals(new long[] {52, 10}, layout.entry("weight_ih_l1").shape(), "layer 1 reads D*P features");
        assertEquals(10, spec.outputSize());
        assertTrue(layout.block(1, 1).hasProjection());
        assertEquals(layout.entry("weight_hr_l1_reverse").offset(), layout.block(1, 1).wHr());
    }

    @Test
    void gruHasThreeGateBlocks() {
        ParameterLayout layout = new ParameterLayout(RnnSpec.builder().cell(CellType.GRU).inputSize(7).hiddenSize(13)
                .build());
        assertArrayEquals(new long[] {39, 7}, layout.entry("weight_ih_l0").shape());
        assertArrayEquals(new long[] {39}, layout.entry("bias_hh_l0").shape());
    }

    @Test
    void shapesFollowPyTorchAndOffsetsTileTheBuffer() {
        ParameterLayout layout = new ParameterLayout(RnnSpec.lstm(7, 13).numLayers(2).bidirectional(true).build());
        assertArrayEquals(new long[] {52, 7}, layout.entry("weight_ih_l0").shape());
        assertArrayEquals(new long[] {52, 13}, layout.entry("weight_hh_l0_reverse").shape());
        assertArrayEquals(new long[] {52, 26}, layout.entry("weight_ih_l1").shape());
        assertArrayEquals(new long[] {52}, layout.entry("bias_hh_l1_reverse").shape());
        long expected = 0;
        for (ParameterLayout.Entry e : layout.entries()) {
            assertEquals(expected, e.offset(), e.name());
            expected += e.size();
        }
        assertEquals(expected, layout.totalSize());
        // PyTorch's parameter count for nn.LSTM(7, 13, num_layers=2, bidirectional=True).
        assertEquals(2 * (52 * 7 + 52 * 13 + 104) + 2 * (52 * 26 + 52 * 13 + 104), layout.totalSize());
    }

    @Test
    void blocksPointAtTheirNamedEntries() {
        ParameterLayout layout = new ParameterLayout(RnnSpec.lstm(3, 5).numLayers(2).bidirectional(true).build());
        ParameterLayout.Block b = layout.block(1, 1);
        assertEquals(layout.entry("weight_ih_l1_reverse").offset(), b.wIh());
        assertEquals(layout.entry("weight_hh_l1_reverse").offset(), b.wHh());
        assertEquals(layout.entry("bias_ih_l1_reverse").offset(), b.bIh());
        assertEquals(layout.entry("bias_hh_l1_reverse").offset(), b.bHh());
        assertEquals(10, b.inputSize());
    }

    @Test
    void stackWithoutBiasHasNoBiasEntries() {
        ParameterLayout layout = new ParameterLayout(RnnSpec.lstm(3, 5).bias(false).build());
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0"), layout.names());
        assertFalse(layout.block(0, 0).hasBias());
        assertEquals(-1, layout.block(0, 0).bIh());
    }

    @Test
    void unknownNameListsTheValidOnes() {
        ParameterLayout layout = new ParameterLayout(RnnSpec.lstm(3, 5).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layout.entry("weight_ih_l1"));
        assertTrue(e.getMessage().contains("weight_ih_l1") && e.getMessage().contains("weight_hh_l0"), e.getMessage());
    }
}
