package dev.lstm4j.bench;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.train.Trainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The {@code --json} report of {@code lstm train}: task, model, settings, final metrics and the curves. */
public final class TrainJson {
    public static final String SCHEMA = "lstm4j-train/1";

    private TrainJson() {
    }

    public static void write(Path file, String task, Backend backend, RnnSpec spec, DType dtype,
                             Map<String, Object> settings, Trainer.Result result, double testMse)
            throws IOException {
        JsonWriter json = new JsonWriter().beginObject()
                .member("schema", SCHEMA)
                .member("task", task)
                .member("backend", backend.name())
                .member("dtype", dtype.name())
                .name("model").beginObject()
                .member("cell", spec.cell().name())
                .member("input_size", spec.inputSize())
                .member("hidden_size", spec.hiddenSize())
                .member("num_layers", spec.numLayers())
                .endObject()
                .name("settings").beginObject();
        settings.forEach((k, v) -> {
            if (v instanceof Number n) {
                json.member(k, n.doubleValue());
            } else {
                json.member(k, String.valueOf(v));
            }
        });
        json.endObject()
                .name("result").beginObject()
                .member("stop", result.stop().name())
                .member("steps", result.steps())
                .member("seconds", result.elapsedNanos() / 1e9)
                .member("tokens_per_second", result.tokens() / (result.elapsedNanos() / 1e9))
                .member("validation_mse", result.validation())
                .member("test_mse", testMse)
                .endObject()
                .name("curve").beginArray();
        for (Trainer.CurvePoint p : result.curve()) {
            json.beginObject()
                    .member("step", p.step())
                    .member("seconds", p.elapsedNanos() / 1e9)
                    .member("training_loss", p.trainingLoss())
                    .member("validation_mse", p.validation())
                    .endObject();
        }
        json.endArray().endObject();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, json.toString(), StandardCharsets.UTF_8);
    }
}
