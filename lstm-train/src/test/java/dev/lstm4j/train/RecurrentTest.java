package dev.lstm4j.train;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.CellType;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RecurrentTest {
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Cpu.backend();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void forgetBiasIsSetInEveryLayerAndDirectionAndNothingElseChanges() {
        RnnSpec spec = RnnSpec.lstm(3, 4).numLayers(2).bidirectional(true).build();
        try (Recurrent r = new Recurrent(backend, DType.FLOAT64, "rnn", spec, 1)) {
            double[] before = r.params().readDoubles("bias_ih_l1_reverse");
            double[] weights = r.params().readDoubles("weight_hh_l0");
            r.initForgetBias(1.0);
            for (String name : new String[] {"bias_ih_l0", "bias_ih_l1_reverse"}) {
                double[] b = r.params().readDoubles(name);
                for (int k = 0; k < 16; k++) {
                    if (k >= 4 && k < 8) {
                        assertEquals(1.0, b[k], name + "[" + k + "]");
                    } else if (name.equals("bias_ih_l1_reverse")) {
                        assertEquals(before[k], b[k], name + "[" + k + "] is no forget gate");
                    }
                }
                double[] hh = r.params().readDoubles(name.replace("_ih_", "_hh_"));
                assertEquals(0, hh[5]);
                assertNotEquals(0, hh[0]);
            }
            assertEquals(java.util.Arrays.toString(weights), java.util.Arrays.toString(r.params().readDoubles("weight_hh_l0")));
        }
    }

    @Test
    void aGruHasNoForgetGate() {
        RnnSpec spec = RnnSpec.builder().cell(CellType.GRU).inputSize(2).hiddenSize(3).build();
        try (Recurrent r = new Recurrent(backend, DType.FLOAT32, "rnn", spec, 1)) {
            assertThrows(IllegalStateException.class, () -> r.initForgetBias(1.0));
        }
    }
}
