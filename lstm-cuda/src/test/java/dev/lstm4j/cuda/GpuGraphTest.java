package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.conformance.Case;
import dev.lstm4j.conformance.Fixture;
import dev.lstm4j.conformance.Upstream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replaying captured graphs computes exactly (bit for bit) what launching every step does. */
@Tag("gpu")
class GpuGraphTest {

    @Test
    void graphReplaysAreBitIdenticalToDirectLaunches() {
        RnnSpec spec = RnnSpec.lstm(33, 65).numLayers(2).bidirectional(true).build();
        Case c = Case.of(spec, 19, 9).withInitialState().withLengths(19, 3, 7, 19, 1, 12, 18, 19, 5);
        Fixture.Trained direct;
        try (Backend b = GpuBackends.create(new CudaOptions(false, false)); Fixture f = Fixture.open(b, DType.FLOAT32, c)) {
            direct = f.train(f.upstream(true, true, true));
        }
        try (Backend b = GpuBackends.create(new CudaOptions(false, true)); Fixture f = Fixture.open(b, DType.FLOAT32, c)) {
            Upstream u = f.upstream(true, true, true);
            for (int k = 0; k < 4; k++) {
                Fixture.Trained replayed = f.train(u);
                assertArrayEquals(direct.outputs().y(), replayed.outputs().y(), "y, run " + k);
                assertArrayEquals(direct.gradients().dx(), replayed.gradients().dx(), "dx, run " + k);
                for (String name : direct.gradients().weights().keySet()) {
                    assertArrayEquals(direct.gradients().weights().get(name),
                            replayed.gradients().weights().get(name), name + ", run " + k);
                }
            }
            long replays = Long.parseLong(b.properties().get("graphs.replayed"));
            assertTrue(replays > 0, "repeated training steps must replay graphs: " + b.properties());
        }
    }
}
