package dev.lstm4j.cuda;

import dev.lstm4j.api.ParameterLayout;
import dev.lstm4j.api.RnnSpec;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CudnnWeightMapTest {

    @Test
    void regionsTileThePackedParametersExactlyOnce() {
        for (RnnSpec spec : List.of(RnnSpec.lstm(7, 13).build(), RnnSpec.lstm(7, 13).numLayers(3).bidirectional(true)
                .build(), RnnSpec.lstm(5, 4).numLayers(2).bias(false).build())) {
            long total = new ParameterLayout(spec).totalSize();
            BitSet covered = new BitSet();
            for (CudnnWeightMap.Region r : CudnnWeightMap.of(spec)) {
                for (long k = r.packedOffset(); k < r.packedOffset() + r.size(); k++) {
                    assertFalse(covered.get((int) k), "element " + k + " mapped twice in " + spec);
                    covered.set((int) k);
                }
            }
            assertEquals(total, covered.cardinality(), "every parameter element is mapped: " + spec);
        }
    }

    @Test
    void gatesAndDirectionsGetCudnnCoordinates() {
        RnnSpec spec = RnnSpec.lstm(7, 13).numLayers(2).bidirectional(true).build();
        ParameterLayout layout = new ParameterLayout(spec);
        CudnnWeightMap.Region forgetRecurrentL1Reverse = CudnnWeightMap.of(spec).stream()
                .filter(r -> r.parameter().equals("weight_hh_l1_reverse") && r.gate() == 1).findFirst().orElseThrow();
        assertEquals(3, forgetRecurrentL1Reverse.pseudoLayer(), "layer 1, reverse direction of 2");
        assertEquals(5, forgetRecurrentL1Reverse.linLayerId(), "recurrent IDs are 4-7, gate f is the second");
        assertEquals(13, forgetRecurrentL1Reverse.rows());
        assertEquals(13, forgetRecurrentL1Reverse.columns());
        assertEquals(layout.entry("weight_hh_l1_reverse").offset() + 13 * 13,
                forgetRecurrentL1Reverse.packedOffset());

        CudnnWeightMap.Region inputCandidateL1 = CudnnWeightMap.of(spec).stream()
                .filter(r -> r.parameter().equals("weight_ih_l1") && r.gate() == 2).findFirst().orElseThrow();
        assertEquals(26, inputCandidateL1.columns(), "layer 1 sees both directions of layer 0");
        assertEquals(2, inputCandidateL1.linLayerId());
    }

    @Test
    void biasesFollowTheirMatricesAndVanishWithoutBias() {
        RnnSpec spec = RnnSpec.lstm(3, 2).build();
        List<CudnnWeightMap.Region> regions = CudnnWeightMap.of(spec);
        assertEquals(16, regions.size(), "8 matrices and 8 bias vectors (double bias)");
        assertTrue(regions.get(1).bias() && regions.get(1).parameter().equals("bias_ih_l0"));
        assertEquals(8, CudnnWeightMap.of(RnnSpec.lstm(3, 2).bias(false).build()).size());
    }
}
