package dev.lstm4j.train.examples;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.train.Adam;
import dev.lstm4j.train.Checkpoint;
import dev.lstm4j.train.GradientClipping;
import dev.lstm4j.train.LearningRate;
import dev.lstm4j.train.SequenceModel;
import dev.lstm4j.train.data.Seeds;
import dev.lstm4j.train.data.SequenceBatch;
import dev.lstm4j.train.data.TemporalOrder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/** The README's sequence-classifier example, as it is printed there (ExamplesTest runs it). */
public final class ClassifierExample {

    public static double train(int steps, Path checkpoint) throws IOException {
        TemporalOrder task = new TemporalOrder(20);                       // 4 classes: the order of X and Y
        SequenceBatch test = task.batch(1000, new SplittableRandom(7));
        RnnSpec spec = RnnSpec.lstm(TemporalOrder.FEATURES, 64).build();
        try (Backend backend = Backends.select();
             SequenceModel model = SequenceModel.classifier(backend, DType.FLOAT32, spec, TemporalOrder.CLASSES, 1);
             Adam adam = Adam.defaults()) {
            model.recurrent().initForgetBias(1.0);                       // keeps the memory open early on
            LearningRate lr = LearningRate.constant(5e-3);
            for (int step = 0; step < steps; step++) {
                model.trainStep(task.batch(64, Seeds.forStep(1, step)));   // forward + backward on the backend
                GradientClipping.clipGlobalNorm(model.parameters(), 1.0);
                adam.step(model.parameters(), lr.at(step));
            }
            Checkpoint.save(checkpoint, model.stateDict(), adam, steps, Map.of("task", "temporal-order"));
            return model.accuracy(test);
        }
    }

    public static void main(String[] args) throws IOException {
        System.out.printf("test accuracy %.3f%n", train(1000, Path.of("order.safetensors")));
    }
}
