package dev.lstm4j.api.io;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The header of an NPY file: a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}.
 *
 * <p>Only the subset numpy writes is parsed (strings, {@code True}/{@code False}, tuples of integers),
 * never evaluated; exactly the three keys numpy requires must be present, as numpy itself insists.
 */
record NpyHeader(StoredDType dtype, long[] shape) {
    // numpy leaves room after the dict so that the first dimension can grow in place to 21 digits
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    /** The dict numpy would write for this header, before padding: keys sorted, a trailing {@code ", "}. */
    static String format(StoredDType dtype, long[] shape) {
        String dict = "{'descr': '" + dtype.npyDescr() + "', 'fortran_order': False, 'shape': "
                + pythonTuple(shape) + ", }";
        if (shape.length > 0) {
            dict += " ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length()));
        }
        return dict;
    }

    /** The shape as Python writes a tuple: {@code ()}, {@code (3,)}, {@code (2, 3)}. */
    static String pythonTuple(long[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int k = 0; k < shape.length; k++) {
            s.append(k == 0 ? "" : ", ").append(shape[k]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }

    static NpyHeader parse(String text, String source) throws TensorFileException {
        Map<String, Object> dict = new Parser(text, source).dict();
        for (String key : new String[] {"descr", "fortran_order", "shape"}) {
            if (!dict.containsKey(key)) {
                throw new MalformedFileException(source, "NPY header lacks the key '" + key
                        + "'; expected the keys 'descr', 'fortran_order' and 'shape', found " + dict.keySet());
            }
        }
        if (dict.size() != 3) {
            throw new MalformedFileException(source, "NPY header has extra keys; expected exactly 'descr', "
                    + "'fortran_order' and 'shape', found " + dict.keySet());
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new MalformedFileException(source, "NPY header 'descr' must be a type string such as '<f4', "
                    + "found " + dict.get("descr"));
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new MalformedFileException(source, "NPY header 'fortran_order' must be True or False, found "
                    + dict.get("fortran_order"));
        }
        if (!(dict.get("shape") instanceof long[] shape)) {
            throw new MalformedFileException(source, "NPY header 'shape' must be a tuple of integers such as "
                    + "(2, 3), found " + dict.get("shape"));
        }
        StoredDType dtype = dtypeOf(descr, source);
        if (fortran) {
            throw new UnsupportedFormatException(source, "Fortran-order (column-major) NPY arrays are not "
                    + "supported; expected fortran_order False (save np.ascontiguousarray(a) instead)");
        }
        return new NpyHeader(dtype, shape);
    }

    static StoredDType dtypeOf(String descr, String source) throws TensorFileException {
        char order = descr.isEmpty() ? '?' : descr.charAt(0);
        boolean hasOrder = "<>|=".indexOf(order) >= 0;
        String little = "<" + (hasOrder ? descr.substring(1) : descr);
        StoredDType match = null;
        for (StoredDType t : StoredDType.values()) {
            if (little.equals(t.npyDescr())) {
                match = t;
            }
        }
        String supported = "'<f4', '<f8', '<i4', '<i8' or (read as float32) '<f2'";
        if (match == null) {
            throw new UnsupportedFormatException(source, "NPY dtype '" + descr + "' is not supported; expected "
                    + supported);
        }
        if (order == '>') {
            throw new UnsupportedFormatException(source, "big-endian NPY dtype '" + descr + "' is not supported; "
                    + "expected little-endian '" + little + "' (convert with a.astype('" + little + "'))");
        }
        if (order != '<') {
            // '=' is the writer's native order and '|' means "no order", which only fits one-byte types
            throw new UnsupportedFormatException(source, "NPY dtype '" + descr + "' does not state its byte "
                    + "order; expected explicit little-endian '" + little + "'");
        }
        return match;
    }

    /** Recursive descent over the dict literal; values are String, Boolean or long[] (a tuple). */
    private static final class Parser {
        private final String text;
        private final String source;
        private int pos;

        Parser(String text, String source) {
            this.text = text;
            this.source = source;
        }

        Map<String, Object> dict() throws TensorFileException {
            skipSpace();
            expect('{');
            Map<String, Object> dict = new HashMap<>();
            skipSpace();
            while (!peek('}')) {
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                Object value = value(key);
                if (dict.put(key, value) != null) {
                    throw error("each key once, found '" + key + "' again");
                }
                skipSpace();
                if (!peek('}')) {
                    expect(',');
                    skipSpace();
                }
            }
            pos++;
            skipSpace();
            if (pos != text.length()) {
                throw error("only padding after the dict");
            }
            return dict;
        }

        private Object value(String key) throws TensorFileException {
            if (peek('\'') || peek('"')) {
                return string();
            }
            if (peek('(')) {
                return tuple();
            }
            if (peek('[')) {
                throw new UnsupportedFormatException(source, "NPY '" + key + "' is a list: structured (record) "
                        + "dtypes are not supported; expected a plain type string such as '<f4'");
            }
            for (String word : new String[] {"True", "False"}) {
                if (text.startsWith(word, pos)) {
                    pos += word.length();
                    return word.equals("True");
                }
            }
            throw error("a string, True, False or a tuple");
        }

        private String string() throws TensorFileException {
            if (!peek('\'') && !peek('"')) {
                throw error("a quoted string");
            }
            char quote = text.charAt(pos++);
            int end = text.indexOf(quote, pos);
            if (end < 0 || text.lastIndexOf('\\', end) >= pos) {
                throw error("a simple quoted string without escapes");
            }
            String s = text.substring(pos, end);
            pos = end + 1;
            return s;
        }

        private long[] tuple() throws TensorFileException {
            pos++;   // '('
            long[] dims = new long[4];
            int n = 0;
            skipSpace();
            while (!peek(')')) {
                if (n == dims.length) {
                    dims = Arrays.copyOf(dims, 2 * n);
                }
                dims[n++] = dimension();
                skipSpace();
                if (peek(',')) {
                    pos++;
                    skipSpace();
                } else if (n == 1) {
                    // "(3)" is the int 3 in Python, not a tuple
                    throw error("',' after the single dimension of a 1-d shape, as in (3,)");
                } else if (!peek(')')) {
                    throw error("',' or ')'");
                }
            }
            pos++;
            return Arrays.copyOf(dims, n);
        }

        private long dimension() throws TensorFileException {
            if (peek('-')) {
                throw error("a non-negative dimension");
            }
            int start = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == start) {
                throw error("an integer dimension");
            }
            String digits = text.substring(start, pos);
            if (peek('L')) {
                pos++;   // Python 2 long suffix, found in old files
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                pos = start;
                throw error("a dimension below 2^63");
            }
        }

        private void expect(char c) throws TensorFileException {
            if (!peek(c)) {
                throw error("'" + c + "'");
            }
            pos++;
        }

        private boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        private void skipSpace() {
            while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private MalformedFileException error(String expected) {
            String found = pos >= text.length() ? "the end of the header"
                    : "'" + text.substring(pos, Math.min(text.length(), pos + 16)) + "'";
            return new MalformedFileException(source, "malformed NPY header dict at character " + pos
                    + ": expected " + expected + ", found " + found);
        }
    }
}
