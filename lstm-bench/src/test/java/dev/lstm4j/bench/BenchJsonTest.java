package dev.lstm4j.bench;

import dev.lstm4j.peer.BenchConfigs;
import dev.lstm4j.peer.BenchConfig;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.Samples;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchJsonTest {
    private static final BenchConfig MEDIUM = BenchConfigs.byName("medium");

    private static BenchReport report() {
        CeilingResult ceiling = new CeilingResult("cpu", 1, "sgemm", 2048, new Samples(new double[] {100, 90, 110}));
        BenchResult lstm4j = new BenchResult("lstm4j", "cpu", MEDIUM, BenchMode.TRAIN, 1,
                new Samples(new double[] {40, 41, 39}), null, null);
        BenchResult pytorch = new BenchResult("pytorch", "cpu", MEDIUM, BenchMode.TRAIN, 1,
                new Samples(new double[] {50, 50}), null, new Agreement(1e-6, 2e-6, 1e-4));
        BenchResult dl4j = new BenchResult("dl4j", "cpu", MEDIUM, BenchMode.TRAIN, 1, null, "out of memory", null);
        BenchResult failed = new BenchResult("lstm4j", "cpu", BenchConfigs.byName("xl"), BenchMode.INFERENCE, 1,
                null, "too large", null);
        return new BenchReport(Map.of("lstm4j.version", "test", "date", "2026-11-25T00:00:00Z", "cpu.model", "x",
                "cpu.cores", "2", "os", "Linux", "jvm", "test", "env.OPENBLAS_CORETYPE", "Haswell"),
                List.of(ceiling), List.of(lstm4j, pytorch, dl4j, failed));
    }

    @Test
    void reportConformsToTheShippedSchema() throws Exception {
        BenchSchema.validate(BenchJson.toJson(report()));
    }

    @Test
    void derivedFiguresCanBeRecomputedFromTheRecordedNumbers() throws Exception {
        JsonNode root = BenchSchema.validate(BenchJson.toJson(report()));
        JsonNode ceiling = root.get("ceilings").get(0);
        assertEquals(2.0 * 2048 * 2048 * 2048 / (100 * 1e6), ceiling.get("gflops").asDouble(), 1e-3);

        JsonNode lstm4j = root.get("results").get(0);
        double flops = 3 * 2.0 * 50 * 32 * 4 * 256 * (256 + 256);
        assertEquals(flops, lstm4j.get("flops").asDouble(), 1);
        assertEquals(40, lstm4j.get("median_ms").asDouble());
        assertEquals(flops / (40 * 1e6), lstm4j.get("gflops").asDouble(), 1e-3);
        assertEquals(lstm4j.get("gflops").asDouble() / ceiling.get("gflops").asDouble(),
                lstm4j.get("fraction_of_ceiling").asDouble(), 1e-4);
        assertEquals(50.0 / 40.0, lstm4j.get("peers").get("pytorch").get("speedup").asDouble(), 1e-6);
        assertEquals("out of memory", lstm4j.get("peers").get("dl4j").get("error").asText());
        assertEquals(3, lstm4j.get("samples_ms").size());
    }

    @Test
    void failedCasesCarryTheirReasonAndNoTimes() throws Exception {
        JsonNode failed = BenchSchema.validate(BenchJson.toJson(report())).get("results").get(3);
        assertEquals("failed", failed.get("status").asText());
        assertEquals("too large", failed.get("error").asText());
        assertFalse(failed.has("median_ms"));
    }

    @Test
    void peerResultsRecordTheirAgreementWithLstm4j() throws Exception {
        JsonNode pytorch = BenchSchema.validate(BenchJson.toJson(report())).get("results").get(1);
        assertTrue(pytorch.get("agreement").get("agrees").asBoolean());
        assertEquals(2e-6, pytorch.get("agreement").get("max_abs_diff_dx").asDouble(), 1e-12);
    }

    @Test
    void textIsEscapedAndNonFiniteNumbersBecomeNull() {
        String json = new JsonWriter().beginObject().member("a\"b", "line\nnext\u0001").member("nan", Double.NaN)
                .endObject().toString();
        assertEquals("{\n  \"a\\\"b\": \"line\\nnext\\u0001\",\n  \"nan\": null\n}\n", json);
    }
}
