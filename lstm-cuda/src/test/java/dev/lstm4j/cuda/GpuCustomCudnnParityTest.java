package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.conformance.Case;
import dev.lstm4j.conformance.Fixture;
import dev.lstm4j.conformance.Upstream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lstm4j's own kernels against cuDNN on the same GPU, same weights and inputs, exact FP32 on both sides: outputs
 * within 2e-5 and gradients within 1e-4 of each tensor's largest magnitude (FLOAT64: 1e-11 and 1e-10), as in
 * {@link GpuCpuParityTest}. Prints the measured worst errors.
 */
@Tag("gpu")
class GpuCustomCudnnParityTest {

    @ParameterizedTest(name = "{0} T={1} B={2} I={3} H={4} L={5} bidir={6} batchFirst={7} ragged={8} clip={9}")
    @CsvSource({
            "FLOAT32, 100, 64, 512, 512, 1, false, false, false, 0",
            "FLOAT32, 40, 33, 129, 255, 2, true, true, true, 0",
            "FLOAT32, 25, 16, 64, 96, 1, false, false, false, 0.5",
            "FLOAT64, 21, 5, 17, 31, 2, true, false, true, 0",
    })
    void customMatchesCudnn(DType dtype, int t, int b, int i, int h, int layers, boolean bidir, boolean batchFirst,
                            boolean ragged, double clip) {
        RnnSpec spec = RnnSpec.lstm(i, h).numLayers(layers).bidirectional(bidir).batchFirst(batchFirst)
                .cellClip(clip).build();
        Case c = Case.of(spec, t, b).withInitialState().withSeed(29);
        if (ragged) {
            int[] lengths = new int[b];
            for (int k = 0; k < b; k++) {
                lengths[k] = 1 + (k * 131) % t;
            }
            lengths[1] = t;
            c = c.withLengths(lengths);
        }
        try (Backend custom = GpuBackends.create(new CudaOptions(false, true, false));
             Backend cudnn = GpuBackends.create(new CudaOptions(false, true, true));
             Fixture mine = Fixture.open(custom, dtype, c);
             Fixture theirs = Fixture.open(cudnn, dtype, c)) {
            Upstream u = theirs.upstream(true, true, true);
            Fixture.Trained expected = theirs.train(u);
            Fixture.Trained actual = mine.train(u);
            double outputs = Math.max(GpuCpuParityTest.relative(expected.outputs().y(), actual.outputs().y()),
                    Math.max(GpuCpuParityTest.relative(expected.outputs().hn(), actual.outputs().hn()),
                            GpuCpuParityTest.relative(expected.outputs().cn(), actual.outputs().cn())));
            double gradients = Math.max(GpuCpuParityTest.relative(expected.gradients().dx(), actual.gradients().dx()),
                    Math.max(GpuCpuParityTest.relative(expected.gradients().dh0(), actual.gradients().dh0()),
                            GpuCpuParityTest.relative(expected.gradients().dc0(), actual.gradients().dc0())));
            for (Map.Entry<String, double[]> e : expected.gradients().weights().entrySet()) {
                gradients = Math.max(gradients, GpuCpuParityTest.relative(e.getValue(),
                        actual.gradients().weights().get(e.getKey())));
            }
            double outLimit = dtype == DType.FLOAT64 ? 1e-11 : 2e-5;
            double gradLimit = dtype == DType.FLOAT64 ? 1e-10 : 1e-4;
            System.out.printf(Locale.ROOT, "custom vs cudnn %s %s: outputs %.2e, gradients %.2e%n", dtype, spec,
                    outputs, gradients);
            assertTrue(outputs <= outLimit, "outputs differ by " + outputs + " of their scale");
            assertTrue(gradients <= gradLimit, "gradients differ by " + gradients + " of their scale");
        }
    }
}
