package dev.lstm4j.train.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A text as a sequence of character tokens: the vocabulary is the set of Unicode code points that occur,
 * in code-point order, so the same text always gives the same ids.
 */
public final class CharCorpus {
    private final int[] codePoints;           // id -> code point
    private final Map<Integer, Integer> ids;  // code point -> id
    private final int[] tokens;

    private CharCorpus(String text) {
        codePoints = text.codePoints().distinct().sorted().toArray();
        ids = new HashMap<>();
        for (int id = 0; id < codePoints.length; id++) {
            ids.put(codePoints[id], id);
        }
        tokens = encode(text);
    }

    /** The corpus of a string; it must hold at least two characters. */
    public static CharCorpus of(String text) {
        if (text.codePointCount(0, text.length()) < 2) {
            throw new IllegalArgumentException("a corpus needs at least 2 characters, got "
                    + text.codePointCount(0, text.length()));
        }
        return new CharCorpus(text);
    }

    /** Reads a UTF-8 file; malformed UTF-8 is an error that names the file. */
    public static CharCorpus read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return of(text);
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not valid UTF-8 (" + e.getMessage() + ")", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    public int vocabularySize() {
        return codePoints.length;
    }

    /** The whole text as token ids; a copy. */
    public int[] tokens() {
        return tokens.clone();
    }

    public int length() {
        return tokens.length;
    }

    /** Token ids of {@code text}, whose characters must all be in the vocabulary. */
    public int[] encode(String text) {
        return text.codePoints().map(cp -> {
            Integer id = ids.get(cp);
            if (id == null) {
                throw new IllegalArgumentException("character U+" + Integer.toHexString(cp).toUpperCase()
                        + " is not in the corpus's vocabulary of " + codePoints.length);
            }
            return id;
        }).toArray();
    }

    public String decode(int[] ids) {
        StringBuilder out = new StringBuilder(ids.length);
        for (int id : ids) {
            out.appendCodePoint(codePoints[id]);
        }
        return out.toString();
    }

    /** Tokens {@code [from, to)}. */
    public int[] slice(int from, int to) {
        return Arrays.copyOfRange(tokens, from, to);
    }
}
