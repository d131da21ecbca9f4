package dev.lstm4j.api.io;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding: {@code new String(bytes, UTF_8)} would silently replace broken sequences. */
final class Utf8 {
    private Utf8() {
    }

    static String decode(byte[] bytes, String source, String what) throws MalformedFileException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedFileException(source, what + " is not valid UTF-8: " + e.getMessage(), e);
        }
    }
}
