package dev.lstm4j.cuda;

/**
 * The source rows of a scatter-add grouped by destination row, for {@link Kernels#segmentAddRows}: segment
 * {@code s} adds source rows {@code order[starts[s]] .. order[starts[s + 1] - 1]} into destination row
 * {@code dest[s]}. Within a segment the source rows keep their ascending order, so each destination element
 * receives its additions in the order a row-by-row scatter would make them. Built on the host (the indices are
 * there) by a counting sort, and laid out as one int array {@code starts | dest | order} for one upload.
 */
record RowSegments(int segments, int[] packed) {

    /** Groups {@code rows} (each in {@code [0, destinationRows)}, already checked) by destination. */
    static RowSegments of(int[] rows, int destinationRows) {
        int[] count = new int[destinationRows];
        for (int r : rows) {
            count[r]++;
        }
        int segments = 0;
        for (int c : count) {
            segments += c > 0 ? 1 : 0;
        }
        int[] packed = new int[2 * segments + 1 + rows.length];
        int orderBase = 2 * segments + 1;
        int[] next = new int[destinationRows];   // where each destination's next source row goes in order
        int s = 0;
        int at = 0;
        for (int r = 0; r < destinationRows; r++) {
            if (count[r] > 0) {
                packed[s] = at;                    // starts[s]
                packed[segments + 1 + s] = r;      // dest[s]
                next[r] = at;
                at += count[r];
                s++;
            }
        }
        packed[segments] = at;                     // starts[segments]: the end
        for (int i = 0; i < rows.length; i++) {
            packed[orderBase + next[rows[i]]++] = i;
        }
        return new RowSegments(segments, packed);
    }

    /** Offset of {@code dest} in {@link #packed()}, in ints. */
    int destOffset() {
        return segments + 1;
    }

    /** Offset of {@code order} in {@link #packed()}, in ints. */
    int orderOffset() {
        return 2 * segments + 1;
    }
}
