package dev.lstm4j.bench;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.train.Trainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The report of one {@code lstm train} run: task, model, settings, final metrics and the curves; written as
 * {@code --json} and drawn as {@code --plot}.
 *
 * @param metric the validation metric's name ({@code mse}, {@code bits_per_char})
 * @param finals final metrics by name, e.g. {@code test_mse}
 */
public record TrainJson(String task, String backend, RnnSpec spec, DType dtype, Map<String, Object> settings,
                        String metric, Trainer.Result result, Map<String, Double> finals) {
    public static final String SCHEMA = "lstm4j-train/1";

    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    public String toJson() {
        JsonWriter json = new JsonWriter().beginObject()
                .member("schema", SCHEMA)
                .member("task", task)
                .member("backend", backend)
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
                .member("validation_metric", metric)
                .name("result").beginObject()
                .member("stop", result.stop().name())
                .member("steps", result.steps())
                .member("seconds", result.elapsedNanos() / 1e9)
                .member("tokens_per_second", result.tokens() / (result.elapsedNanos() / 1e9))
                .member("validation", result.validation());
        finals.forEach(json::member);
        json.endObject().name("curve").beginArray();
        for (Trainer.CurvePoint p : result.curve()) {
            json.beginObject()
                    .member("step", p.step())
                    .member("seconds", p.elapsedNanos() / 1e9)
                    .member("training_loss", p.trainingLoss())
                    .member("validation", p.validation())
                    .endObject();
        }
        return json.endArray().endObject().toString();
    }
}
