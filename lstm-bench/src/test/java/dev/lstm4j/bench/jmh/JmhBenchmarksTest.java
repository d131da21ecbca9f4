package dev.lstm4j.bench.jmh;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A smoke test of the JMH benchmarks (CI does not run JMH): the annotation processor registered them, and a
 * trial's setup, operation and teardown work on the cpu backend without leaking native memory.
 */
class JmhBenchmarksTest {

    @Test
    void annotationProcessorRegisteredEveryBenchmark() throws IOException {
        try (InputStream in = JmhBenchmarksTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "META-INF/BenchmarkList missing: the JMH annotation processor did not run");
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(list.contains("LstmBenchmark") && list.contains("GemmCeilingBenchmark"), list);
        }
    }

    @Test
    void lstmTrainingTrialRunsAndFreesItsMemory() {
        LstmBenchmark bench = new LstmBenchmark();
        bench.backend = "cpu";
        bench.config = "small";
        bench.mode = "train";
        bench.threads = 1;
        bench.setUp();
        try {
            bench.step();
            bench.step();
        } finally {
            bench.tearDown();   // throws if native bytes are still live
        }
    }

    @Test
    void gemmTrialRunsAndFreesItsMemory() {
        GemmCeilingBenchmark bench = new GemmCeilingBenchmark();
        bench.backend = "cpu";
        bench.size = 64;
        bench.threads = 1;
        bench.setUp();
        try {
            bench.sgemm();
        } finally {
            bench.tearDown();
        }
    }

    @Test
    void unavailableBackendFailsTheTrialWithItsReason() {
        LstmBenchmark bench = new LstmBenchmark();
        bench.backend = "cuda";
        bench.config = "small";
        bench.mode = "inference";
        bench.threads = 1;
        var e = assertThrows(IllegalStateException.class, bench::setUp);
        assertTrue(e.getMessage().startsWith("skipped: backend cuda unavailable: "), e.getMessage());
        bench.tearDown();
    }
}
