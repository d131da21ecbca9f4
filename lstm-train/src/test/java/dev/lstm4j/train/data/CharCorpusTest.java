package dev.lstm4j.train.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CharCorpusTest {

    @Test
    void vocabularyIsTheCodePointsInOrderAndDecodingInvertsEncoding(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.txt");
        Files.writeString(file, "baé😀a", StandardCharsets.UTF_8);
        CharCorpus corpus = CharCorpus.read(file);
        assertEquals(4, corpus.vocabularySize());
        assertArrayEquals(new int[] {1, 0, 2, 3, 0}, corpus.tokens());
        assertEquals("baé😀a", corpus.decode(corpus.tokens()));
        assertThrows(IllegalArgumentException.class, () -> corpus.encode("z"));
    }

    @Test
    void malformedUtf8IsAnErrorNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.txt");
        Files.write(file, new byte[] {'a', (byte) 0xC3, 'b'});
        IOException e = assertThrows(IOException.class, () -> CharCorpus.read(file));
        assertTrue(e.getMessage().contains("bad.txt is not valid UTF-8"), e.getMessage());
    }

    @Test
    void streamsAreContiguousAcrossSegmentsAndTargetsAreTheNextToken() {
        int[] tokens = new int[23];
        for (int k = 0; k < tokens.length; k++) {
            tokens[k] = k;
        }
        TokenStreams streams = new TokenStreams(tokens, 2, 3);   // streams of 11: [0, 11) and [11, 22)
        assertEquals(3, streams.segments());
        TokenStreams.Segment first = streams.segment(0);
        assertArrayEquals(new int[] {0, 11, 1, 12, 2, 13}, first.tokens());
        assertArrayEquals(new int[] {1, 12, 2, 13, 3, 14}, first.targets());
        assertTrue(first.startsEpoch());
        TokenStreams.Segment second = streams.segment(1);
        assertArrayEquals(new int[] {3, 14, 4, 15, 5, 16}, second.tokens());
        assertEquals(false, second.startsEpoch());
        assertArrayEquals(first.tokens(), streams.segment(3).tokens(), "epochs repeat");
        assertThrows(IllegalArgumentException.class, () -> new TokenStreams(new int[6], 2, 3));
    }
}
