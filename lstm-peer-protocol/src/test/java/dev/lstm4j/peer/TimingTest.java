package dev.lstm4j.peer;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimingTest {

    @Test
    void runsTheWarmUpThenTimesEachMeasuredIteration() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Samples s = Timing.measure(new TimingPolicy(2, 0, 4, 0, 10), calls::incrementAndGet);
        assertEquals(6, calls.get(), "2 warm-up + 4 measured iterations");
        assertEquals(4, s.count());
    }

    @Test
    void keepsMeasuringUntilTheMinimumTimeButNeverPastTheCap() throws Exception {
        Samples s = Timing.measure(new TimingPolicy(0, 0, 1, 60_000, 5), () -> Thread.sleep(1));
        assertEquals(5, s.count(), "the cap ends a measurement that the minimum time would prolong");
        assertTrue(s.min() >= 1.0, "each sample covers its iteration: " + s.min());
    }

    @Test
    void medianIsRobustToOneSlowIteration() {
        Samples s = new Samples(new double[] {10, 11, 500, 9, 10.5});
        assertEquals(10.5, s.median());
        assertEquals(9, s.min());
        assertEquals(500, s.max());
        assertEquals(10.25, new Samples(new double[] {10, 11, 10.5, 9}).median());
    }

    @Test
    void samplesSurviveTheirTextForm() {
        Samples s = new Samples(new double[] {0.123456789, 1e-7, 12345.5});
        assertEquals(s.median(), Samples.parse(s.format()).median());
        assertEquals(3, Samples.parse(s.format()).count());
    }

    @Test
    void policyAndModeRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new TimingPolicy(0, 0, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TimingPolicy(0, 0, 5, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> TimingPolicy.parse("1,2,3"));
        var e = assertThrows(IllegalArgumentException.class, () -> BenchMode.parse("sideways"));
        assertTrue(e.getMessage().contains("inference") && e.getMessage().contains("train"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StackShape.of(0, 1, 1, 1));
    }
}
