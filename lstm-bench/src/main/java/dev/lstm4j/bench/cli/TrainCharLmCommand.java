package dev.lstm4j.bench.cli;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.bench.TrainJson;
import dev.lstm4j.train.Adam;
import dev.lstm4j.train.LanguageModel;
import dev.lstm4j.train.LearningRate;
import dev.lstm4j.train.Trainer;
import dev.lstm4j.train.TruncatedBptt;
import dev.lstm4j.train.data.CharCorpus;
import dev.lstm4j.train.data.TokenStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code lstm train charlm}: a character-level language model on a UTF-8 text, trained with truncated BPTT
 * over parallel streams; validates in bits per character on the end of the text and prints a sample.
 */
@Command(name = "charlm", mixinStandardHelpOptions = true,
        description = "A character-level language model on any UTF-8 text: validation bits per character on "
                + "the text's last --validation-chars characters, then a generated sample.")
final class TrainCharLmCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TrainingOptions options;

    @Option(names = "--text", required = true, paramLabel = "FILE", description = "The corpus, UTF-8.")
    Path text;

    @Option(names = "--cell", defaultValue = "lstm", description = "lstm, gru or peephole (default ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--hidden", defaultValue = "256", description = "Hidden units (default ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "2", description = "Layers (default ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--embedding", defaultValue = "64", description = "Embedding width (default ${DEFAULT-VALUE}).")
    int embedding;

    @Option(names = "--seq-len", defaultValue = "100", description = "Forward length: the segment of steps "
            + "between two updates; the state is carried across segments (default ${DEFAULT-VALUE}).")
    int seqLen;

    @Option(names = "--bptt-len", paramLabel = "STEPS", description = "Backward length: how many steps back the "
            + "gradient reaches, a multiple of --seq-len (default: --seq-len).")
    Integer bpttLen;

    @Option(names = "--batch", defaultValue = "32", description = "Parallel streams (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "2000", description = "Step budget (default ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--lr", defaultValue = "3e-3", description = "Adam's learning rate after a 100-step warm-up, "
            + "cosine-annealed over the budget (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--validate-every", defaultValue = "250", description = "Steps between validations "
            + "(default ${DEFAULT-VALUE}).")
    long validateEvery;

    @Option(names = "--validation-chars", defaultValue = "50000", description = "Characters at the end of the text "
            + "held out for validation (default ${DEFAULT-VALUE}).")
    int validationChars;

    @Option(names = "--sample-length", defaultValue = "400", description = "Characters to generate at the end; 0 "
            + "for none (default ${DEFAULT-VALUE}).")
    int sampleLength;

    @Option(names = "--temperature", defaultValue = "0.7", description = "Sampling temperature (default "
            + "${DEFAULT-VALUE}).")
    double temperature;

    @Override
    public Integer call() throws IOException {
        CharCorpus corpus = CharCorpus.read(text);
        if (validationChars < 2 || validationChars >= corpus.length() / 2) {
            throw new ToolFailure("--validation-chars must be in [2, " + corpus.length() / 2 + ") for this "
                    + corpus.length() + "-character text, got " + validationChars);
        }
        int split = corpus.length() - validationChars;
        TokenStreams train = new TokenStreams(corpus.slice(0, split), batch, seqLen);
        int[] held = corpus.slice(split, corpus.length());
        int validationStreams = Math.max(1, Math.min(16, (held.length - 1) / seqLen));
        TokenStreams validation = new TokenStreams(held, validationStreams, Math.min(seqLen, held.length - 1));
        RnnSpec rnnSpec = RnnSpec.builder().cell(CliCells.parse(cell)).inputSize(embedding).hiddenSize(hidden)
                .numLayers(layers).build();
        LearningRate schedule = LearningRate.cosine(lr, Math.max(1, steps - 100), lr / 20).withWarmup(100);
        Trainer.Settings settings = new Trainer.Settings(steps, schedule, options.clip, validateEvery, 0,
                options.timeLimitNanos());
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        try (Backend backend = options.openBackend();
             LanguageModel model = new LanguageModel(backend, options.dtype, corpus.vocabularySize(), rnnSpec,
                     options.seed);
             TruncatedBptt bptt = new TruncatedBptt(model, train, backwardSegments(), validation);
             Adam adam = Adam.defaults()) {
            err.printf(Locale.ROOT, "charlm on %s: %d characters, vocabulary %d, %d segments of %dx%d per pass; "
                            + "%s %dx%d on %s (%s), Adam lr %s%n", text.getFileName(), corpus.length(),
                    corpus.vocabularySize(), train.segments(), seqLen, batch, cell, layers, hidden, backend.name(),
                    options.dtype, lr);
            TrainingSession session = new TrainingSession(options, model, adam, bptt.state(), settingsMap(), err);
            Trainer.Result result = session.run(bptt, settings, "val bpc");
            double seconds = result.elapsedNanos() / 1e9;
            out.printf(Locale.ROOT, "validation %.4f bits/char after %d steps (%s) in %.1f s, %.0f tokens/s%n",
                    result.validation(), result.steps(), result.stop().name().toLowerCase(Locale.ROOT), seconds,
                    result.tokens() / seconds);
            if (sampleLength > 0) {
                int[] prime = corpus.slice(split, split + Math.min(40, validationChars));
                int[] sample = model.sample(prime, sampleLength, temperature, new SplittableRandom(options.seed));
                out.println("sample (temperature " + temperature + ", primed with the validation text's start):");
                out.println(corpus.decode(prime) + corpus.decode(sample));
            }
            TrainOutputs.write(options, out, new TrainJson("charlm", backend.name(), rnnSpec, options.dtype,
                    settingsMap(), "bits_per_char", result, Map.of("validation_bits_per_char", result.validation())));
            return 0;
        }
    }

    private int backwardSegments() {
        int length = bpttLen == null ? seqLen : bpttLen;
        if (length < seqLen || length % seqLen != 0) {
            throw new ToolFailure("--bptt-len must be a multiple of --seq-len (" + seqLen + "), got " + length);
        }
        return length / seqLen;
    }

    private Map<String, Object> settingsMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", text.toString());
        m.put("seq_len", seqLen);
        m.put("bptt_len", bpttLen == null ? seqLen : bpttLen);
        m.put("batch", batch);
        m.put("embedding", embedding);
        m.put("steps", steps);
        m.put("lr", lr);
        m.put("clip", options.clip);
        m.put("validation_chars", validationChars);
        m.put("seed", options.seed);
        return m;
    }
}
