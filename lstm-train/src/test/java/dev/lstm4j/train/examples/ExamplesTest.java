package dev.lstm4j.train.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's examples compile (they are this package) and learn, with the budgets printed there. */
class ExamplesTest {

    @Test
    void theClassifierLearnsTheTemporalOrder(@TempDir Path dir) throws IOException {
        Path checkpoint = dir.resolve("order.safetensors");
        double accuracy = ClassifierExample.train(1000, checkpoint);
        assertTrue(accuracy > 0.9, "test accuracy " + accuracy + "; guessing scores 0.25");
        assertTrue(Files.size(checkpoint) > 0);
    }

    @Test
    void theSequenceRegressorRemovesMostOfTheNoise() {
        double mse = SequenceRegressionExample.train(1000);
        assertTrue(mse < 0.02, "validation MSE " + mse + "; the noisy input itself scores 0.09");
    }
}
