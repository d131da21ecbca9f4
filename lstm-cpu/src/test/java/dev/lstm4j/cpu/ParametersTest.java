package dev.lstm4j.cpu;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Rnn;
import dev.lstm4j.api.RnnSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Packed parameters on the cpu backend: seeded initialisation, named views, copies. */
class ParametersTest {
    private final CpuBackend backend = new CpuBackend();
    private final RnnSpec spec = RnnSpec.lstm(7, 13).numLayers(2).bidirectional(true).build();

    @AfterEach
    void nothingIsLeftAllocated() {
        assertEquals(0, backend.liveBytes());
    }

    @Test
    void initialisationIsSeededBoundedAndTheSameInEveryDType() {
        try (Rnn r32 = backend.rnn(spec, DType.FLOAT32);
             Rnn r64 = backend.rnn(spec, DType.FLOAT64);
             Parameters a = r32.initParameters(5);
             Parameters b = r32.initParameters(5);
             Parameters c = r32.initParameters(6);
             Parameters d = r64.initParameters(5)) {
            double bound = 1 / Math.sqrt(13);
            for (String name : a.names()) {
                float[] va = a.readFloats(name);
                assertArrayEquals(va, b.readFloats(name), name);
                double[] vd = d.readDoubles(name);
                for (int k = 0; k < va.length; k++) {
                    assertTrue(Math.abs(vd[k]) < bound, name);
                    assertEquals((float) vd[k], va[k], name);
                }
            }
            assertNotEquals(a.readFloats("weight_hh_l1_reverse")[0], c.readFloats("weight_hh_l1_reverse")[0]);
        }
    }

    @Test
    void namedWritesLandInTheirPlaceOnly() {
        try (Rnn rnn = backend.rnn(spec, DType.FLOAT64); Parameters p = rnn.newParameters()) {
            double[] bias = new double[52];
            java.util.Arrays.fill(bias, 2.5);
            p.write("bias_hh_l0_reverse", bias);
            assertArrayEquals(bias, p.readDoubles("bias_hh_l0_reverse"));
            assertArrayEquals(new double[52], p.readDoubles("bias_ih_l0_reverse"));
            assertArrayEquals(new double[52 * 26], p.readDoubles("weight_ih_l1_reverse"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> p.write("weight_hh_l0", new double[3]));
            assertTrue(e.getMessage().contains("[52, 13]") && e.getMessage().contains("3"), e.getMessage());
        }
    }

    @Test
    void copyBetweenDTypesRoundsAndRejectsOtherStacks() {
        try (Rnn r32 = backend.rnn(spec, DType.FLOAT32);
             Rnn r64 = backend.rnn(spec, DType.FLOAT64);
             Rnn other = backend.rnn(RnnSpec.lstm(7, 13).build(), DType.FLOAT32);
             Parameters src = r64.initParameters(9);
             Parameters dst = r32.newParameters();
             Parameters small = other.newParameters()) {
            dst.copyFrom(src);
            double[] original = src.readDoubles("weight_ih_l1");
            float[] copied = dst.readFloats("weight_ih_l1");
            for (int k = 0; k < original.length; k++) {
                assertEquals((float) original[k], copied[k]);
            }
            assertThrows(IllegalArgumentException.class, () -> small.copyFrom(src));
        }
    }
}
