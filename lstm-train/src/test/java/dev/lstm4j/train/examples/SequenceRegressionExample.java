package dev.lstm4j.train.examples;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.train.Adam;
import dev.lstm4j.train.LearningRate;
import dev.lstm4j.train.SequenceModel;
import dev.lstm4j.train.Trainer;
import dev.lstm4j.train.data.SequenceBatch;

import java.util.SplittableRandom;

/** The README's sequence-to-sequence regression example, as it is printed there. */
public final class SequenceRegressionExample {

    /** Noisy sine waves of varying length in, the clean wave out: per-step targets, padded batches. */
    static SequenceBatch waves(int batch, SplittableRandom random) {
        int steps = 60;
        float[] x = new float[steps * batch];
        float[] y = new float[steps * batch];
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            double phase = random.nextDouble(0, 2 * Math.PI);
            lengths[b] = random.nextInt(20, steps + 1);
            for (int t = 0; t < lengths[b]; t++) {
                y[t * batch + b] = (float) Math.sin(phase + 0.2 * t);
                x[t * batch + b] = y[t * batch + b] + (float) random.nextGaussian() * 0.3f;
            }
        }
        return new SequenceBatch(x, steps, batch, 1, lengths, y, 1, true);
    }

    public static double train(int steps) {
        SequenceBatch validation = waves(256, new SplittableRandom(99));
        try (Backend backend = Backends.select();
             SequenceModel model = SequenceModel.sequenceRegressor(backend, DType.FLOAT32,
                     RnnSpec.lstm(1, 32).numLayers(2).build(), 1, 3);
             Adam adamW = Adam.adamW(0.01)) {
            Trainer.Settings settings = new Trainer.Settings(steps, LearningRate.constant(5e-3), 1.0, 100, 0, 0);
            Trainer.Result result = Trainer.train(
                    model.task(step -> waves(32, new SplittableRandom(step)), validation), adamW, settings,
                    new Trainer.Listener() { });
            double[] denoised = model.predict(validation);             // [T, B, 1], zero past each length
            return result.validation();                               // MSE; the noise alone scores 0.09
        }
    }

    public static void main(String[] args) {
        System.out.printf("validation MSE %.4f%n", train(1000));
    }
}
