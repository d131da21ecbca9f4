package dev.lstm4j.api.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns header JSON into a {@link SafetensorsHeader}, checking what the reference implementation checks:
 * known dtypes, byte ranges that match their shapes, and ranges that tile the data buffer with neither
 * gap nor overlap, so that every byte belongs to exactly one tensor.
 */
final class SafetensorsHeaderParser {
    static final String METADATA_KEY = "__metadata__";

    private final String source;

    private SafetensorsHeaderParser(String source) {
        this.source = source;
    }

    /**
     * @param dataLength bytes after the header when known (a file), or -1 (a stream), in which case the
     *                   caller checks the end of the buffer itself
     */
    static SafetensorsHeader parse(byte[] headerBytes, String source, long dataLength) throws TensorFileException {
        return new SafetensorsHeaderParser(source).parse(headerBytes, dataLength);
    }

    private SafetensorsHeader parse(byte[] headerBytes, long dataLength) throws TensorFileException {
        String text = Utf8.decode(headerBytes, source, "safetensors header");
        if (!(Json.parse(text, source, "safetensors header") instanceof Map<?, ?> root)) {
            throw malformed("the safetensors header must be a JSON object {name: {dtype, shape, data_offsets}}, "
                    + "found another JSON value");
        }
        Map<String, SafetensorsHeader.Entry> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : root.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                metadata = metadata(e.getValue());
            } else {
                tensors.put(name, entry(name, e.getValue()));
            }
        }
        long end = checkTiling(tensors);
        if (dataLength >= 0 && end != dataLength) {
            throw malformed("the tensors' data_offsets cover " + end + " bytes, but the data buffer after the "
                    + "header has " + dataLength + " bytes; expected them to match exactly");
        }
        return new SafetensorsHeader(tensors, metadata, end);
    }

    private Map<String, String> metadata(Object value) throws MalformedFileException {
        if (!(value instanceof Map<?, ?> map)) {
            throw malformed("'" + METADATA_KEY + "' must be an object of strings, found " + describe(value));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw malformed("'" + METADATA_KEY + "' value of key '" + e.getKey() + "' must be a string, found "
                        + describe(e.getValue()));
            }
            metadata.put((String) e.getKey(), s);
        }
        return metadata;
    }

    private SafetensorsHeader.Entry entry(String name, Object value) throws TensorFileException {
        if (!(value instanceof Map<?, ?> fields)) {
            throw malformed("tensor '" + name + "' must be an object {dtype, shape, data_offsets}, found "
                    + describe(value));
        }
        for (String field : new String[] {"dtype", "shape", "data_offsets"}) {
            if (!fields.containsKey(field)) {
                throw malformed("tensor '" + name + "' lacks the field '" + field + "'; expected dtype, shape and "
                        + "data_offsets, found " + fields.keySet());
            }
        }
        StoredDType dtype = dtype(name, fields.get("dtype"));
        long[] shape = longs(name, "shape", fields.get("shape"), -1);
        long[] offsets = longs(name, "data_offsets", fields.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw malformed("tensor '" + name + "' has data_offsets [" + begin + ", " + end
                    + "]; expected begin <= end");
        }
        long count = NdArray.elementCountOrMinusOne(shape);
        if (count < 0) {
            throw malformed("tensor '" + name + "' has shape " + Arrays.toString(shape)
                    + " with more elements than fit in a long");
        }
        long span = end - begin;
        if (count > span / dtype.byteSize() || count * dtype.byteSize() != span) {
            throw malformed("tensor '" + name + "' has shape " + Arrays.toString(shape) + " of " + dtype
                    + ", which needs " + (count > Long.MAX_VALUE / dtype.byteSize() ? "more than 2^63"
                    : String.valueOf(count * dtype.byteSize())) + " bytes, but its data_offsets [" + begin + ", "
                    + end + "] span " + span + " bytes");
        }
        return new SafetensorsHeader.Entry(name, dtype, shape, begin, end);
    }

    private StoredDType dtype(String name, Object value) throws TensorFileException {
        if (!(value instanceof String code)) {
            throw malformed("tensor '" + name + "' dtype must be a string such as \"F32\", found " + describe(value));
        }
        for (StoredDType t : StoredDType.values()) {
            if (t.name().equals(code)) {
                return t;
            }
        }
        throw new UnsupportedFormatException(source, "tensor '" + name + "' has dtype '" + code
                + "', which is not supported; expected one of F32, F64, F16, BF16, I32, I64");
    }

    /** A JSON array of non-negative integers, of exactly {@code length} items unless it is -1. */
    private long[] longs(String name, String field, Object value, int length) throws MalformedFileException {
        String expected = length < 0 ? "an array of non-negative integers" : "an array of " + length
                + " non-negative integers";
        if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) {
            throw malformed("tensor '" + name + "' " + field + " must be " + expected + ", found " + describe(value));
        }
        long[] out = new long[list.size()];
        for (int k = 0; k < out.length; k++) {
            if (!(list.get(k) instanceof Long v) || v < 0) {
                throw malformed("tensor '" + name + "' " + field + " must be " + expected + ", found "
                        + describe(list.get(k)) + " at index " + k);
            }
            out[k] = v;
        }
        return out;
    }

    /** Checks the entries tile {@code [0, end)} and returns {@code end}. */
    private long checkTiling(Map<String, SafetensorsHeader.Entry> tensors) throws MalformedFileException {
        List<SafetensorsHeader.Entry> byOffset = new ArrayList<>(tensors.values());
        byOffset.sort(Comparator.comparingLong(SafetensorsHeader.Entry::begin)
                .thenComparingLong(SafetensorsHeader.Entry::end));
        long next = 0;
        String previous = null;
        for (SafetensorsHeader.Entry e : byOffset) {
            if (e.begin() < next) {
                throw malformed("tensor '" + e.name() + "' at bytes [" + e.begin() + ", " + e.end()
                        + ") overlaps tensor '" + previous + "', which ends at byte " + next
                        + "; expected tensors to tile the data buffer without overlap");
            }
            if (e.begin() > next) {
                throw malformed("bytes [" + next + ", " + e.begin() + ") of the data buffer belong to no tensor "
                        + "(gap before tensor '" + e.name() + "'); expected tensors to tile the buffer without gaps");
            }
            next = e.end();
            previous = e.name();
        }
        return next;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return Json.quote(s.length() > 40 ? s.substring(0, 40) + "..." : s);
        }
        if (value instanceof List<?> list && list.size() > 8) {
            return "an array of " + list.size() + " items";
        }
        String text = value instanceof Map<?, ?> ? "an object" : value.toString();
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    private MalformedFileException malformed(String detail) {
        return new MalformedFileException(source, detail);
    }
}
