package dev.lstm4j.api.io;

import dev.lstm4j.api.CellType;
import dev.lstm4j.api.ParameterLayout;
import dev.lstm4j.api.RnnSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecInferenceTest {

    /** The names and shapes PyTorch's state_dict has for {@code spec}, each name behind {@code prefix}. */
    static Map<String, long[]> stateDictShapes(RnnSpec spec, String prefix) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        new ParameterLayout(spec).entries().forEach(e -> shapes.put(prefix + e.name(), e.shape()));
        return shapes;
    }

    private static void assertRejected(Map<String, long[]> shapes, String prefix, String... phrases) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParameterFiles.inferSpec(shapes, prefix));
        for (String phrase : phrases) {
            assertTrue(e.getMessage().contains(phrase), () -> "'" + phrase + "' not in: " + e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void everyCombinationOfLayersDirectionsAndBiasIsRecovered(int numLayers) {
        for (CellType cell : CellType.values()) {
            for (boolean bidirectional : new boolean[] {false, true}) {
                for (boolean bias : new boolean[] {false, true}) {
                    RnnSpec spec = RnnSpec.builder().cell(cell).inputSize(5).hiddenSize(3).numLayers(numLayers)
                            .bidirectional(bidirectional).bias(bias).build();
                    assertEquals(spec, ParameterFiles.inferSpec(stateDictShapes(spec, "")), spec::toString);
                }
            }
        }
    }

    @Test
    void peepholeWeightsOnAGruAreRejected() {
        RnnSpec gru = RnnSpec.builder().cell(CellType.GRU).inputSize(4).hiddenSize(2).build();
        Map<String, long[]> shapes = stateDictShapes(gru, "");
        shapes.put("weight_peephole_l0", new long[] {3, 2});
        assertRejected(shapes, "", "peephole weights belong to an LSTM", "3 gate blocks");
    }

    @Test
    void hiddenSizeLargerThanInputSizeIsNotConfused() {
        RnnSpec spec = RnnSpec.lstm(1, 16).numLayers(2).bidirectional(true).build();
        assertEquals(spec, ParameterFiles.inferSpec(stateDictShapes(spec, "")));
    }

    @Test
    void singleModulePrefixIsDetectedAndStripped() {
        RnnSpec spec = RnnSpec.lstm(4, 2).numLayers(2).build();
        Map<String, long[]> shapes = stateDictShapes(spec, "encoder.lstm.");
        shapes.put("head.weight", new long[] {10, 2});   // a classifier head beside the LSTM
        shapes.put("head.bias", new long[] {10});
        assertEquals(spec, ParameterFiles.inferSpec(shapes));
    }

    @Test
    void explicitPrefixSelectsOneOfSeveralStacksWithOrWithoutItsDot() {
        RnnSpec encoder = RnnSpec.lstm(4, 2).build();
        RnnSpec decoder = RnnSpec.lstm(2, 6).numLayers(3).build();
        Map<String, long[]> shapes = stateDictShapes(encoder, "encoder.");
        shapes.putAll(stateDictShapes(decoder, "decoder."));
        assertEquals(encoder, ParameterFiles.inferSpec(shapes, "encoder"));
        assertEquals(decoder, ParameterFiles.inferSpec(shapes, "decoder."));
        assertRejected(shapes, null, "several prefixes ['decoder.', 'encoder.']", "pass the prefix");
    }

    @Test
    void emptyPrefixMeansTopLevelNamesOnly() {
        RnnSpec spec = RnnSpec.lstm(3, 3).build();
        Map<String, long[]> shapes = stateDictShapes(spec, "");
        shapes.putAll(stateDictShapes(RnnSpec.lstm(9, 9).build(), "other."));
        assertEquals(spec, ParameterFiles.inferSpec(shapes, ""));
    }

    @Test
    void missingMiddleLayerIsReportedByName() {
        Map<String, long[]> shapes = stateDictShapes(RnnSpec.lstm(4, 2).numLayers(3).build(), "");
        shapes.keySet().removeIf(name -> name.endsWith("_l1"));
        assertRejected(shapes, null, "numLayers=3", "missing [weight_ih_l1, weight_hh_l1, bias_ih_l1, bias_hh_l1]");
    }

    @Test
    void missingReverseDirectionOfOneLayerIsReported() {
        Map<String, long[]> shapes = stateDictShapes(RnnSpec.lstm(4, 2).numLayers(2).bidirectional(true).build(), "");
        shapes.remove("weight_hh_l1_reverse");
        assertRejected(shapes, null, "missing [weight_hh_l1_reverse]");
    }

    @Test
    void inconsistentShapesAreReportedWithExpectedAndFound() {
        Map<String, long[]> shapes = stateDictShapes(RnnSpec.lstm(4, 2).numLayers(2).build(), "");
        shapes.put("weight_ih_l1", new long[] {8, 3});
        shapes.put("bias_hh_l0", new long[] {6});
        assertRejected(shapes, null, "wrong shape", "weight_ih_l1 expected [8, 2], found [8, 3]",
                "bias_hh_l0 expected [8], found [6]");
    }

    @Test
    void biasOnOnlyOneSideIsReportedAsMissing() {
        Map<String, long[]> shapes = stateDictShapes(RnnSpec.lstm(4, 2).build(), "");
        shapes.remove("bias_hh_l0");
        assertRejected(shapes, null, "missing [bias_hh_l0]");
    }

    @Test
    void recurrentWeightWhoseRowsAreNotThreeOrFourBlocksIsRejected() {
        Map<String, long[]> shapes = stateDictShapes(RnnSpec.lstm(4, 2).build(), "");
        shapes.put("weight_hh_l0", new long[] {10, 2});
        assertRejected(shapes, null, "weight_hh_l0 has shape [10, 2]; expected [4*H, H] for an LSTM or [3*H, H]");
        shapes.put("weight_hh_l0", new long[] {8});
        assertRejected(shapes, null, "weight_hh_l0 has shape [8]");
    }

    @Test
    void inputWeightWithOtherRowsThanTheRecurrentOneIsRejected() {
        Map<String, long[]> shapes = stateDictShapes(RnnSpec.lstm(4, 2).build(), "");
        shapes.put("weight_ih_l0", new long[] {6, 4});
        assertRejected(shapes, null, "weight_ih_l0 has shape [6, 4]; expected [8, inputSize]");
    }

    @Test
    void missingFirstLayerWeightsAreNamed() {
        Map<String, long[]> shapes = stateDictShapes(RnnSpec.lstm(4, 2).numLayers(2).build(), "");
        shapes.remove("weight_hh_l0");
        assertRejected(shapes, null, "weight_hh_l0 is missing; it gives the hidden size");
        shapes = stateDictShapes(RnnSpec.lstm(4, 2).build(), "");
        shapes.remove("weight_ih_l0");
        assertRejected(shapes, null, "weight_ih_l0 is missing; it gives the input size");
    }

    @Test
    void projectionStacksAreRecoveredFromWeightHr() {
        for (boolean bidirectional : new boolean[] {false, true}) {
            RnnSpec spec = RnnSpec.lstm(5, 7).projSize(3).numLayers(2).bidirectional(bidirectional).build();
            assertEquals(spec, ParameterFiles.inferSpec(stateDictShapes(spec, "lstm.")), spec::toString);
        }
    }

    @Test
    void projectionWeightsMustAgreeWithWeightHh() {
        Map<String, long[]> shapes = stateDictShapes(RnnSpec.lstm(4, 2).build(), "");
        shapes.put("weight_hr_l0", new long[] {1, 2});
        assertRejected(shapes, null, "with projection weight_hr_l0 [1, 2] expected [4*H, P] = [8, 1]");
        shapes.put("weight_hr_l0", new long[] {2, 2});
        assertRejected(shapes, null, "expected [P, H] with 1 <= P < H");
    }

    @Test
    void strayNamesUnderThePrefixAreRejected() {
        Map<String, long[]> shapes = stateDictShapes(RnnSpec.lstm(4, 2).build(), "lstm.");
        shapes.put("lstm.weight_ih_l0x", new long[] {1});
        shapes.put("lstm.weight_ih_l01", new long[] {1});
        assertRejected(shapes, "lstm", "unexpected tensors [weight_ih_l0x, weight_ih_l01]");
    }

    @Test
    void noRecurrentNameAtAllIsReported() {
        assertRejected(Map.of("fc.weight", new long[] {2, 2}), null, "no recurrent parameters found",
                "found [fc.weight]");
        assertRejected(Map.of("fc.weight", new long[] {2, 2}), "fc", "unexpected tensors [weight]");
        assertRejected(Map.of(), "lstm", "no recurrent parameters");
    }

    @Test
    void zeroSizedDimensionsAreRejectedAsNoValidStack() {
        assertRejected(Map.of("weight_ih_l0", new long[] {8, 0}, "weight_hh_l0", new long[] {8, 2}), null,
                "weight_ih_l0 has shape [8, 0]");
    }

    @Test
    void absurdLayerNumberIsReportedBrieflyWithoutBuildingAHugeMessage() {
        Map<String, long[]> shapes = stateDictShapes(RnnSpec.lstm(4, 2).build(), "");
        shapes.put("weight_ih_l99999", new long[] {8, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParameterFiles.inferSpec(shapes));
        assertTrue(e.getMessage().contains("(399995 in all)"), e::getMessage);
        assertTrue(e.getMessage().length() < 1000, e::getMessage);
    }
}
