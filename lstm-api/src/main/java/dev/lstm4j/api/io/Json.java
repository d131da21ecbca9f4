package dev.lstm4j.api.io;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON reader for file headers, so that lstm-api needs no JSON library.
 *
 * <p>Values become {@code Map<String, Object>} (insertion order kept, duplicate keys rejected, since a
 * duplicated tensor name would make a file mean two things), {@code List<Object>}, {@code String},
 * {@code Long} for integers that fit, {@code BigDecimal} for every other number, {@code Boolean} and
 * {@code null}. Nesting is capped so that a hostile header cannot overflow the stack.
 */
final class Json {
    static final int MAX_DEPTH = 64;
    static final int MAX_NUMBER_LENGTH = 400;

    private final String text;
    private final String source;
    private final String what;
    private int pos;

    private Json(String text, String source, String what) {
        this.text = text;
        this.source = source;
        this.what = what;
    }

    /** Parses one JSON value filling all of {@code text} but surrounding whitespace. */
    static Object parse(String text, String source, String what) throws MalformedFileException {
        Json json = new Json(text, source, what);
        json.skipWhitespace();
        Object value = json.value(0);
        json.skipWhitespace();
        if (json.pos < text.length()) {
            throw json.error("end of " + what + " after the top-level value");
        }
        return value;
    }

    /** {@code s} as a JSON string literal, quotes included. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private Object value(int depth) throws MalformedFileException {
        if (depth > MAX_DEPTH) {
            throw new MalformedFileException(source, "invalid JSON in " + what + ": nested deeper than "
                    + MAX_DEPTH + " levels at character " + pos);
        }
        if (pos >= text.length()) {
            throw error("a JSON value");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("a JSON value");
            }
        };
    }

    private Map<String, Object> object(int depth) throws MalformedFileException {
        pos++;   // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek('}')) {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (!peek('"')) {
                throw error("a string key");
            }
            int keyStart = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth + 1);
            if (map.containsKey(key)) {
                throw new MalformedFileException(source, "invalid JSON in " + what + ": duplicate key "
                        + quote(key) + " at character " + keyStart);
            }
            map.put(key, v);
            skipWhitespace();
            if (peek(',')) {
                pos++;
            } else if (peek('}')) {
                pos++;
                return map;
            } else {
                throw error("',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws MalformedFileException {
        pos++;   // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek(']')) {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth + 1));
            skipWhitespace();
            if (peek(',')) {
                pos++;
            } else if (peek(']')) {
                pos++;
                return list;
            } else {
                throw error("',' or ']'");
            }
        }
    }

    private String string() throws MalformedFileException {
        pos++;   // opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("a closing '\"'");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("an escaped control character (raw ones are not allowed in strings)");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("an escape character");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> {
                    pos--;
                    throw error("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u");
                }
            }
        }
    }

    private char[] unicodeEscape() throws MalformedFileException {
        char high = hex4();
        if (!Character.isSurrogate(high)) {
            return new char[] {high};
        }
        if (Character.isHighSurrogate(high) && text.startsWith("\\u", pos)) {
            pos += 2;
            char low = hex4();
            if (Character.isLowSurrogate(low)) {
                return new char[] {high, low};
            }
        }
        pos -= 4;
        throw error("a valid surrogate pair (lone UTF-16 surrogates are not text)");
    }

    private char hex4() throws MalformedFileException {
        if (pos + 4 > text.length()) {
            throw error("4 hex digits");
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(text.charAt(pos), 16);
            if (d < 0) {
                throw error("4 hex digits");
            }
            v = v * 16 + d;
            pos++;
        }
        return (char) v;
    }

    private Object number() throws MalformedFileException {
        int start = pos;
        if (peek('-')) {
            pos++;
        }
        if (peek('0')) {
            pos++;
        } else if (!digits()) {
            throw error("a digit");
        }
        boolean integer = true;
        if (peek('.')) {
            pos++;
            integer = false;
            if (!digits()) {
                throw error("a digit after '.'");
            }
        }
        if (peek('e') || peek('E')) {
            pos++;
            integer = false;
            if (peek('+') || peek('-')) {
                pos++;
            }
            if (!digits()) {
                throw error("a digit in the exponent");
            }
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            // parsing a huge literal is quadratic, and no header field needs one
            throw new MalformedFileException(source, "invalid JSON in " + what + ": number at character "
                    + start + " has " + (pos - start) + " characters, expected at most " + MAX_NUMBER_LENGTH);
        }
        String literal = text.substring(start, pos);
        if (integer) {
            BigInteger value = new BigInteger(literal);
            return value.bitLength() < 64 ? (Object) value.longValue() : new BigDecimal(value);
        }
        return new BigDecimal(literal);
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private Object literal(String word, Object value) throws MalformedFileException {
        if (!text.startsWith(word, pos)) {
            throw error("a JSON value");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) throws MalformedFileException {
        if (!peek(c)) {
            throw error("'" + c + "'");
        }
        pos++;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private MalformedFileException error(String expected) {
        String found = pos >= text.length() ? "the end of the text"
                : quote(text.substring(pos, Math.min(text.length(), pos + 12)));
        return new MalformedFileException(source, "invalid JSON in " + what + " at character " + pos
                + ": expected " + expected + ", found " + found);
    }
}
