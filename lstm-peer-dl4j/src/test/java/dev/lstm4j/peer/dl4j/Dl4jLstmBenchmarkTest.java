package dev.lstm4j.peer.dl4j;

import dev.lstm4j.peer.BenchConfig;
import dev.lstm4j.peer.BenchConfigs;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Dl4jLstmBenchmarkTest {

    /** The JMH parameter list names exactly the shared catalogue, in its order, so no config is left out. */
    @Test
    void configParamListsEveryCatalogueConfig() throws Exception {
        Param param = Dl4jLstmBenchmark.class.getField("config").getAnnotation(Param.class);
        assertEquals(BenchConfigs.all().stream().map(BenchConfig::name).toList(), List.of(param.value()));
    }
}
