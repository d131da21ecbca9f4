package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.conformance.Case;
import dev.lstm4j.conformance.Fixture;
import dev.lstm4j.conformance.HostGradients;
import dev.lstm4j.conformance.Upstream;
import dev.lstm4j.cpu.CpuBackendProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same stack, weights and inputs through the cpu and the cuda backend, at sizes beyond the conformance
 * suites (where GEMMs block and kernels run many blocks). Tolerances per precision, relative to the largest
 * magnitude of each tensor:
 * <table>
 *   <caption>cpu vs cuda</caption>
 *   <tr><th>cuda math</th><th>outputs</th><th>gradients</th></tr>
 *   <tr><td>FLOAT64</td><td>1e-11</td><td>1e-10</td></tr>
 *   <tr><td>FLOAT32, fp32 GEMMs</td><td>2e-5</td><td>1e-4</td></tr>
 *   <tr><td>FLOAT32, tf32 GEMMs</td><td>5e-3</td><td>3e-2</td></tr>
 * </table>
 * TF32 rounds GEMM inputs to 10 mantissa bits (relative error 2^-11, about 5e-4 per product), which the
 * recurrence and the T*B-term weight-gradient sums amplify; the bounds are several times the errors measured on
 * an H100. Each run prints its measured worst errors.
 */
@Tag("gpu")
class GpuCpuParityTest {

    @ParameterizedTest(name = "{0} {1} math, T={2} B={3} I={4} H={5} L={6} bidir={7} batchFirst={8} ragged={9}")
    @CsvSource({
            "FLOAT32, fp32, 64, 24, 96, 160, 2, true, true, true",
            "FLOAT32, fp32, 100, 64, 512, 512, 1, false, false, false",
            "FLOAT32, tf32, 100, 64, 512, 512, 1, false, false, false",
            "FLOAT64, fp32, 33, 7, 45, 67, 3, true, false, true",
    })
    void cudaMatchesCpu(DType dtype, String math, int t, int b, int i, int h, int layers, boolean bidir,
                        boolean batchFirst, boolean ragged) {
        RnnSpec spec = RnnSpec.lstm(i, h).numLayers(layers).bidirectional(bidir).batchFirst(batchFirst).build();
        Case c = Case.of(spec, t, b).withInitialState().withSeed(17);
        if (ragged) {
            int[] lengths = new int[b];
            for (int k = 0; k < b; k++) {
                lengths[k] = 1 + (k * 7919) % t;
            }
            lengths[0] = t;
            c = c.withLengths(lengths);
        }
        double[] limits = limits(dtype, math);
        try (Backend gpuBackend = GpuBackends.create(new CudaOptions(math.equals("tf32"), true));
             Backend cpuBackend = new CpuBackendProvider().create();
             Fixture gpu = Fixture.open(gpuBackend, dtype, c);
             Fixture cpu = Fixture.open(cpuBackend, dtype, c)) {
            Upstream u = cpu.upstream(true, true, true);
            Fixture.Trained onGpu = gpu.train(u);
            Fixture.Trained onCpu = cpu.train(u);
            double outputs = Math.max(relative(onCpu.outputs().y(), onGpu.outputs().y()),
                    Math.max(relative(onCpu.outputs().hn(), onGpu.outputs().hn()),
                            relative(onCpu.outputs().cn(), onGpu.outputs().cn())));
            double gradients = worstGradient(onCpu.gradients(), onGpu.gradients());
            System.out.printf(Locale.ROOT, "parity %s %s math %s: outputs %.2e, gradients %.2e (limits %.0e, %.0e)%n",
                    dtype, math, spec, outputs, gradients, limits[0], limits[1]);
            assertTrue(outputs <= limits[0], "outputs differ by " + outputs + " of their scale");
            assertTrue(gradients <= limits[1], "gradients differ by " + gradients + " of their scale");
        }
    }

    private static double[] limits(DType dtype, String math) {
        if (dtype == DType.FLOAT64) {
            return new double[] {1e-11, 1e-10};
        }
        return math.equals("tf32") ? new double[] {5e-3, 3e-2} : new double[] {2e-5, 1e-4};
    }

    private static double worstGradient(HostGradients expected, HostGradients actual) {
        double worst = Math.max(relative(expected.dx(), actual.dx()),
                Math.max(relative(expected.dh0(), actual.dh0()), relative(expected.dc0(), actual.dc0())));
        for (Map.Entry<String, double[]> e : expected.weights().entrySet()) {
            worst = Math.max(worst, relative(e.getValue(), actual.weights().get(e.getKey())));
        }
        return worst;
    }

    /** max |a - b| / max(1e-30, max |a|); NaN anywhere counts as infinitely far. */
    static double relative(double[] expected, double[] actual) {
        double scale = 1e-30;
        double worst = 0;
        for (int k = 0; k < expected.length; k++) {
            scale = Math.max(scale, Math.abs(expected[k]));
            double d = Math.abs(expected[k] - actual[k]);
            worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
        }
        return worst / scale;
    }
}
