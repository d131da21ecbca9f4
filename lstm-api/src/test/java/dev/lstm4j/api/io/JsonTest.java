package dev.lstm4j.api.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    private static Object parse(String text) throws MalformedFileException {
        return Json.parse(text, "test.json", "test header");
    }

    @Test
    void everyValueKindParsesToItsJavaType() throws MalformedFileException {
        Object value = parse(" {\"o\": {\"k\": [1, -2, 3.5, 1e2, true, false, null]}, \"s\": \"x\"}\r\n\t");
        Map<?, ?> root = (Map<?, ?>) value;
        List<?> list = (List<?>) ((Map<?, ?>) root.get("o")).get("k");
        assertEquals(Arrays.asList(1L, -2L, new BigDecimal("3.5"), new BigDecimal("1e2"), true, false, null), list);
        assertEquals("x", root.get("s"));
        assertEquals(List.of("o", "s"), List.copyOf(root.keySet()), "insertion order kept");
    }

    @Test
    void integersBeyondALongStayExactAsBigDecimal() throws MalformedFileException {
        assertEquals(Long.MAX_VALUE, parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, parse("-9223372036854775808"));
        assertEquals(new BigDecimal("9223372036854775808"), parse("9223372036854775808"));
    }

    @Test
    void escapesIncludingSurrogatePairsDecode() throws MalformedFileException {
        assertEquals("\"\\/\b\f\n\r\t\u00e9\ud83d\ude00", parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\""));
    }

    @Test
    void quotedStringsParseBackToThemselves() throws MalformedFileException {
        String nasty = "a\"b\\c\n\u0001\u001f\u007f é 😀";
        assertEquals(nasty, parse(Json.quote(nasty)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1,]", "{\"a\":1,}", "01", "-", "1.", ".5", "1e", "+1", "NaN", "Infinity",
            "'a'", "\"a", "\"\\u12\"", "\"\\ud800x\"", "\"\\udc00\"", "\"tab\there\"", "tru", "nul", "{1:2}",
            "{\"a\" 1}", "[1 2]", "1 2", "\"\\q\""})
    void invalidJsonIsRejectedNamingTheSourceAndPosition(String text) {
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> parse(text));
        assertTrue(e.getMessage().startsWith("test.json: invalid JSON in test header"), e::getMessage);
        assertEquals("test.json", e.source());
    }

    @Test
    void duplicateKeysAreRejected() {
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> parse("{\"a\":1,\"a\":2}"));
        assertTrue(e.getMessage().contains("duplicate key \"a\" at character 7"), e::getMessage);
    }

    @Test
    void nestingUpToTheCapParsesAndBeyondIsRejected() throws MalformedFileException {
        int depth = Json.MAX_DEPTH;
        assertTrue(parse("[".repeat(depth + 1) + "]".repeat(depth + 1)) instanceof List);
        MalformedFileException e = assertThrows(MalformedFileException.class,
                () -> parse("[".repeat(depth + 2) + "]".repeat(depth + 2)));
        assertTrue(e.getMessage().contains("nested deeper than"), e::getMessage);
    }

    @Test
    void nullLiteralIsNull() throws MalformedFileException {
        assertNull(parse("null"));
    }
}
