package dev.lstm4j.api.io;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The validated JSON header of a safetensors file: where each tensor lies in the data buffer, plus the
 * free-form {@code __metadata__} strings. Reading it alone is cheap, e.g. to infer a stack's shape
 * without loading its weights.
 *
 * @param tensors    entries by name, in the header's order
 * @param metadata   the {@code __metadata__} map, empty when absent
 * @param dataLength bytes of the data buffer, which the entries tile exactly
 */
public record SafetensorsHeader(Map<String, Entry> tensors, Map<String, String> metadata, long dataLength) {

    public SafetensorsHeader {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * One tensor of the file.
     *
     * @param begin first byte in the data buffer (the buffer starts after the header)
     * @param end   one past the last byte
     */
    public record Entry(String name, StoredDType dtype, long[] shape, long begin, long end) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** Number of elements; the header parser has checked it fits a long. */
        public long elementCount() {
            return NdArray.elementCountOrMinusOne(shape);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && name.equals(e.name) && dtype == e.dtype && Arrays.equals(shape, e.shape)
                    && begin == e.begin && end == e.end;
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return name + ": " + dtype + Arrays.toString(shape) + " bytes [" + begin + ", " + end + ")";
        }
    }

    /** Every tensor's shape by name, in header order. */
    public Map<String, long[]> shapes() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        tensors.forEach((name, e) -> shapes.put(name, e.shape()));
        return shapes;
    }
}
