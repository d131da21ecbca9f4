package dev.lstm4j.train.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SequenceDatasetTest {

    /** Example i has length 1 + i % 4, inputs {i, i, ...} over 2 features, target i. */
    private static SequenceDataset dataset(int n) {
        List<SequenceDataset.Example> examples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[(1 + i % 4) * 2];
            java.util.Arrays.fill(x, i);
            examples.add(new SequenceDataset.Example(x, new float[] {i}));
        }
        return new SequenceDataset(examples, 2, 1, false);
    }

    @Test
    void anEpochVisitsEverySequenceOnceAndTheNextEpochInAnotherOrder() {
        SequenceDataset data = dataset(12);
        assertEquals(3, data.batchesPerEpoch(4));
        Set<Float> seen = new HashSet<>();
        List<Float> firstOrder = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            for (float id : data.batch(k, 4, 9).targets()) {
                seen.add(id);
                firstOrder.add(id);
            }
        }
        assertEquals(12, seen.size());
        List<Float> secondOrder = new ArrayList<>();
        for (int k = 3; k < 6; k++) {
            for (float id : data.batch(k, 4, 9).targets()) {
                secondOrder.add(id);
            }
        }
        assertNotEquals(firstOrder, secondOrder);
        assertArrayEquals(data.batch(4, 4, 9).inputs(), data.batch(4, 4, 9).inputs(), "a function of the index");
    }

    @Test
    void batchesArePaddedToTheirLongestSequenceWithLengths() {
        SequenceDataset data = dataset(3);   // lengths 1, 2, 3
        SequenceBatch b = data.inOrder(3).get(0);
        assertEquals(3, b.steps());
        assertArrayEquals(new int[] {1, 2, 3}, b.lengths());
        // time-major [3, 3, 2]: step 0 has all three, step 2 only sequence 2
        assertArrayEquals(new float[] {0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2, 0, 0, 0, 0, 2, 2}, b.inputs());
        assertThrows(IllegalArgumentException.class, () -> data.batch(0, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> data.inOrder(0));
        assertEquals(2, data.inOrder(2).size(), "the last batch may be smaller");
    }

    @Test
    void inconsistentExamplesAreRejectedByIndex() {
        List<SequenceDataset.Example> bad = List.of(new SequenceDataset.Example(new float[3], new float[] {0}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SequenceDataset(bad, 2, 1, false));
        assertEquals("example 0 has 3 input values, not a positive multiple of 2 features", e.getMessage());
    }
}
