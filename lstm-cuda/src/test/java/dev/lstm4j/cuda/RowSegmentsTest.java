package dev.lstm4j.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RowSegmentsTest {
    @Test
    void sourceRowsAreGroupedByDestinationKeepingTheirOrder() {
        // source row i goes to destination rows[i]; destinations 0, 2 and 5 of 6 are used
        int[] rows = {5, 0, 5, 2, 0, 5};
        RowSegments g = RowSegments.of(rows, 6);
        assertEquals(3, g.segments());
        int[] starts = {0, 2, 3, 6};
        int[] dest = {0, 2, 5};
        int[] order = {1, 4, 3, 0, 2, 5};
        int[] expected = new int[starts.length + dest.length + order.length];
        System.arraycopy(starts, 0, expected, 0, starts.length);
        System.arraycopy(dest, 0, expected, g.destOffset(), dest.length);
        System.arraycopy(order, 0, expected, g.orderOffset(), order.length);
        assertArrayEquals(expected, g.packed());
    }

    @Test
    void noRowsMakeNoSegments() {
        RowSegments g = RowSegments.of(new int[0], 4);
        assertEquals(0, g.segments());
        assertArrayEquals(new int[] {0}, g.packed());
    }
}
