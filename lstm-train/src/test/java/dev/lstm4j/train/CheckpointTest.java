package dev.lstm4j.train;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.api.io.Safetensors;
import dev.lstm4j.api.io.SafetensorsFile;
import dev.lstm4j.train.data.AddingProblem;
import dev.lstm4j.train.data.SequenceBatch;
import dev.lstm4j.train.data.Seeds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {
    private static final RnnSpec SPEC = RnnSpec.lstm(AddingProblem.FEATURES, 6).numLayers(2).build();
    private static final AddingProblem TASK = new AddingProblem(8);
    private static final long SEED = 21;
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Cpu.backend();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /** Stops after {@code steps}; the schedule is that of a 12-step run, as when a run is cut short. */
    private static Trainer.Settings settings(long steps) {
        return new Trainer.Settings(steps, LearningRate.cosine(1e-2, 12, 1e-3).withWarmup(3), 1.0,
                1000, 0, 0);
    }

    private static Trainer.Result train(SequenceModel model, Optimizer optimizer, long from, long to) {
        SequenceBatch validation = TASK.batch(16, Seeds.forStep(SEED, -1));
        return Trainer.train(model.task(step -> TASK.batch(4, Seeds.forStep(SEED, step)), validation), optimizer,
                settings(to), from, new Trainer.Listener() { });
    }

    @Test
    void aResumedRunIsBitIdenticalToOneThatNeverStopped(@TempDir Path dir) throws IOException {
        Map<String, NdArray> straight;
        try (SequenceModel model = SequenceModel.regressor(backend, DType.FLOAT32, SPEC, 1, 5);
             Adam adam = Adam.defaults()) {
            train(model, adam, 0, 12);
            straight = model.stateDict();
        }
        Path file = dir.resolve("run.safetensors");
        try (SequenceModel model = SequenceModel.regressor(backend, DType.FLOAT32, SPEC, 1, 5);
             Adam adam = Adam.defaults()) {
            train(model, adam, 0, 7);
            Checkpoint.save(file, model.stateDict(), adam, 7, Map.of("task", "adding"));
        }
        Map<String, NdArray> resumed;
        try (SequenceModel model = SequenceModel.regressor(backend, DType.FLOAT32, SPEC, 1, 999);
             Adam adam = Adam.defaults()) {
            Checkpoint checkpoint = Checkpoint.load(file);
            assertEquals(7, checkpoint.step());
            assertEquals(7, checkpoint.optimizerSteps());
            assertEquals("adding", checkpoint.metadata().get("task"));
            model.loadStateDict(checkpoint.model());
            adam.restore(model.parameters(), checkpoint.optimizerSteps(), checkpoint.optimizer());
            train(model, adam, checkpoint.step(), 12);
            resumed = model.stateDict();
        }
        assertEquals(straight.keySet(), resumed.keySet());
        for (String name : straight.keySet()) {
            assertArrayEquals(straight.get(name).floats(), resumed.get(name).floats(), 0f, name);
        }
        assertTrue(straight.containsKey("rnn.weight_hh_l1") && straight.containsKey("head.bias"), straight.keySet()
                .toString());
    }

    @Test
    void aWriteThatFailsMidwayLeavesThePreviousCheckpointLoadable(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ck.safetensors");
        try (SequenceModel model = SequenceModel.regressor(backend, DType.FLOAT32, SPEC, 1, 5);
             Adam adam = Adam.defaults()) {
            train(model, adam, 0, 2);
            Checkpoint.save(file, model.stateDict(), adam, 2, Map.of());
            byte[] before = Files.readAllBytes(file);
            train(model, adam, 2, 4);
            IOException e = assertThrows(IOException.class, () -> Checkpoint.save(file, model.stateDict(), adam, 4,
                    Map.of(), out -> new FailAfter(out, 300)));
            assertEquals("disk gone after 300 bytes", e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(file), "the previous checkpoint was touched");
            assertEquals(2, Checkpoint.load(file).step());
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(file), files.toList(), "the partial file was not removed");
            }
        }
    }

    @Test
    void aPartialFileLeftByACrashIsIgnoredAndTheNextSaveReplacesTheCheckpoint(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ck.safetensors");
        Files.write(dir.resolve(".ck.safetensors.123.partial"), new byte[] {1, 2, 3});
        try (SequenceModel model = SequenceModel.regressor(backend, DType.FLOAT32, SPEC, 1, 5);
             Adam adam = Adam.defaults()) {
            train(model, adam, 0, 1);
            Checkpoint.save(file, model.stateDict(), adam, 1, Map.of());
            Checkpoint.save(file, model.stateDict(), adam, 1, Map.of("again", "yes"));
            Checkpoint loaded = Checkpoint.load(file);
            assertEquals("yes", loaded.metadata().get("again"));
            assertEquals(model.stateDict().keySet(), loaded.model().keySet());
            assertTrue(loaded.optimizer().containsKey("exp_avg_sq.rnn"), loaded.optimizer().keySet().toString());
        }
    }

    @Test
    void aSafetensorsFileThatIsNoCheckpointIsRejectedByName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("weights.safetensors");
        Safetensors.write(new SafetensorsFile(Map.of("x", NdArray.of(new float[] {1}, 1)), Map.of()), file);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(file));
        assertTrue(e.getMessage().contains("not an lstm4j checkpoint"), e.getMessage());
    }

    /** A stream that fails after {@code limit} bytes, as a full disk or a killed process would cut it. */
    private static final class FailAfter extends FilterOutputStream {
        private final long limit;
        private long written;

        FailAfter(OutputStream out, long limit) {
            super(out);
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            if (++written > limit) {
                throw new IOException("disk gone after " + limit + " bytes");
            }
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int k = 0; k < len; k++) {
                write(b[off + k]);
            }
        }
    }
}
