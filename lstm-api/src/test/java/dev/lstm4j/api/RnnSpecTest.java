package dev.lstm4j.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RnnSpecTest {

    @Test
    void builderDefaultsToOneUnidirectionalTimeMajorLayerWithBias() {
        RnnSpec spec = RnnSpec.lstm(7, 13).build();
        assertEquals(CellType.LSTM, spec.cell());
        assertEquals(1, spec.numLayers());
        assertEquals(1, spec.directions());
        assertTrue(spec.bias());
        assertEquals(SequenceLayout.TIME_MAJOR, spec.layout());
        assertEquals(52, spec.gateRows());
    }

    @Test
    void derivedSizesFollowStackedBidirectionalLayers() {
        RnnSpec spec = RnnSpec.lstm(7, 13).numLayers(3).bidirectional(true).build();
        assertEquals(7, spec.layerInputSize(0));
        assertEquals(26, spec.layerInputSize(1));
        assertEquals(26, spec.layerInputSize(2));
        assertEquals(26, spec.outputSize());
        assertEquals(6, spec.stateLayers());
        assertThrows(IndexOutOfBoundsException.class, () -> spec.layerInputSize(3));
    }

    @Test
    void invalidSizesAreRejectedWithTheFieldNameAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RnnSpec.lstm(0, 13).build());
        assertTrue(e.getMessage().contains("inputSize") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RnnSpec.lstm(3, -2).build());
        assertTrue(e.getMessage().contains("hiddenSize") && e.getMessage().contains("-2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RnnSpec.lstm(3, 4).numLayers(0).build());
        assertTrue(e.getMessage().contains("numLayers"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RnnSpec.lstm(3, Integer.MAX_VALUE / 2).build());
        assertTrue(e.getMessage().contains("hiddenSize"), e.getMessage());
    }

    @Test
    void cellClipIsValidatedAndOnlyForCellsWithACellState() {
        assertEquals(0.0, RnnSpec.lstm(2, 3).build().cellClip());
        assertEquals(true, RnnSpec.lstm(2, 3).cellClip(0.5).build().clipsCell());
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            var e = assertThrows(IllegalArgumentException.class, () -> RnnSpec.lstm(2, 3).cellClip(bad).build());
            assertTrue(e.getMessage().contains("cellClip must be a finite number >= 0"), e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> RnnSpec.builder().cell(CellType.GRU).inputSize(2).hiddenSize(3).cellClip(1).build());
        assertTrue(e.getMessage().contains("GRU does not have"), e.getMessage());
    }

    @Test
    void projSizeMustBeBelowHiddenSizeAndOnlyForLstm() {
        RnnSpec spec = RnnSpec.lstm(4, 6).projSize(2).bidirectional(true).build();
        assertEquals(2, spec.stateSize());
        assertEquals(4, spec.outputSize());
        assertEquals(4, spec.toBuilder().numLayers(2).build().layerInputSize(1));
        for (int bad : new int[] {-1, 6, 7}) {
            var e = assertThrows(IllegalArgumentException.class, () -> RnnSpec.lstm(4, 6).projSize(bad).build());
            assertTrue(e.getMessage().contains("projSize must be 0 (no projection) or between 1 and hiddenSize - 1 = 5"),
                    e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> RnnSpec.builder().cell(CellType.GRU).inputSize(2).hiddenSize(3).projSize(1).build());
        assertTrue(e.getMessage().contains("a GRU has none"), e.getMessage());
        RnnSpec projected = RnnSpec.lstm(2, 3).projSize(1).cellClip(2).build();
        assertEquals(projected, projected.toBuilder().build());
    }

    @Test
    void dropoutIsAProbabilityBelowOne() {
        assertTrue(RnnSpec.lstm(2, 3).numLayers(2).dropout(0.25).build().dropsBetweenLayers());
        assertEquals(false, RnnSpec.lstm(2, 3).dropout(0.25).build().dropsBetweenLayers(), "one layer: nothing between");
        for (double bad : new double[] {-0.1, 1.0, Double.NaN}) {
            var e = assertThrows(IllegalArgumentException.class, () -> RnnSpec.lstm(2, 3).dropout(bad).build());
            assertTrue(e.getMessage().contains("dropout must be in [0, 1)"), e.getMessage());
        }
        RnnSpec spec = RnnSpec.lstm(2, 3).numLayers(3).dropout(0.5).build();
        assertEquals(spec, spec.toBuilder().build());
    }

    @Test
    void toBuilderRoundTripsEveryField() {
        RnnSpec spec = RnnSpec.builder().cell(CellType.GRU).inputSize(5).hiddenSize(6).numLayers(2)
                .bidirectional(true).bias(false).batchFirst(true).build();
        assertEquals(spec, spec.toBuilder().build());
        RnnSpec clipped = RnnSpec.lstm(2, 3).cellClip(0.25).build();
        assertEquals(clipped, clipped.toBuilder().build());
    }
}
