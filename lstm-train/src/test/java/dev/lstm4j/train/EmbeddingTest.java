package dev.lstm4j.train;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingTest {
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Cpu.backend();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void lookupReturnsTheTokensRowsAndRepeatedTokensAddTheirGradients() {
        int[] tokens = {2, 0, 2};
        try (Embedding e = new Embedding(backend, DType.FLOAT64, "emb", 4, 3, 5);
             Tensor out = e.forward(tokens)) {
            double[] w = e.parameters().get(0).value().toDoubleArray();
            double[] expected = new double[9];
            for (int i = 0; i < tokens.length; i++) {
                System.arraycopy(w, tokens[i] * 3, expected, i * 3, 3);
            }
            assertArrayEquals(expected, out.toDoubleArray(), 0);
            e.parameters().get(0).zeroGrad();
            try (Tensor d = backend.tensor(new double[] {1, 2, 3, 10, 20, 30, 100, 200, 300}, 3, 3)) {
                e.backward(tokens, d);
            }
            assertArrayEquals(new double[] {10, 20, 30, 0, 0, 0, 101, 202, 303, 0, 0, 0},
                    e.parameters().get(0).grad().toDoubleArray(), 0);
        }
    }

    @Test
    void initialisationIsStandardNormal() {
        try (Embedding e = new Embedding(backend, DType.FLOAT64, "emb", 200, 50, 9)) {
            double[] w = e.parameters().get(0).value().toDoubleArray();
            double mean = Arrays.stream(w).average().orElseThrow();
            double var = Arrays.stream(w).map(v -> (v - mean) * (v - mean)).sum() / w.length;
            assertEquals(0, mean, 0.03);
            assertEquals(1, var, 0.05);
        }
    }

    @Test
    void tokenOutsideTheVocabularyIsRejected() {
        try (Embedding e = new Embedding(backend, DType.FLOAT32, "emb", 4, 3, 5)) {
            IndexOutOfBoundsException error = assertThrows(IndexOutOfBoundsException.class,
                    () -> e.forward(new int[] {1, 4}));
            assertTrue(error.getMessage().contains("[0, 4)"), error.getMessage());
        }
    }
}
