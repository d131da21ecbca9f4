package dev.lstm4j.train;

import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.api.io.Safetensors;
import dev.lstm4j.api.io.SafetensorsFile;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A training checkpoint in one safetensors file: the model's parameters under their own names (the
 * recurrent stack's in PyTorch's, e.g. {@code rnn.weight_ih_l0}, so that the file also loads as a model),
 * the optimizer's slots under {@code optimizer.<slot>.<parameter>}, and the step counts and the caller's
 * settings as metadata.
 *
 * <p>Written atomically: the bytes go to a temporary file in the same folder, are forced to disk, and the
 * file is renamed over the old one (then the folder is forced, so the rename is durable). A crash or an
 * error mid-write leaves the previous checkpoint as it was.
 */
public record Checkpoint(Map<String, NdArray> model, Map<String, NdArray> optimizer, long step,
                         long optimizerSteps, Map<String, String> metadata) {
    public static final String FORMAT_KEY = "lstm4j.checkpoint";
    public static final String FORMAT_VERSION = "1";
    static final String OPTIMIZER_PREFIX = "optimizer.";
    private static final String STEP_KEY = "lstm4j.step";
    private static final String OPTIMIZER_STEPS_KEY = "lstm4j.optimizer_steps";

    public Checkpoint {
        model = Map.copyOf(model);
        optimizer = Map.copyOf(optimizer);
        metadata = Map.copyOf(metadata);
    }

    /** Saves {@code model} and {@code optimizer}'s state after training step {@code step}. */
    public static void save(Path file, Map<String, NdArray> model, Optimizer optimizer, long step,
                            Map<String, String> metadata) throws IOException {
        save(file, model, optimizer, step, metadata, UnaryOperator.identity());
    }

    /** As {@link #save}; {@code wrap} wraps the file's stream (tests use it to fail midway). */
    static void save(Path file, Map<String, NdArray> model, Optimizer optimizer, long step,
                     Map<String, String> metadata, UnaryOperator<OutputStream> wrap) throws IOException {
        Map<String, NdArray> tensors = new LinkedHashMap<>(model);
        optimizer.state().forEach((name, tensor) -> tensors.put(OPTIMIZER_PREFIX + name, StateDict.toHost(tensor)));
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(FORMAT_KEY, FORMAT_VERSION);
        meta.put(STEP_KEY, Long.toString(step));
        meta.put(OPTIMIZER_STEPS_KEY, Long.toString(optimizer.steps()));
        SafetensorsFile content = new SafetensorsFile(tensors, meta);
        writeAtomically(file, out -> Safetensors.write(content, wrap.apply(out)));
    }

    /** A host copy of {@code t} in its own precision, for tensors a caller checkpoints beside the model's. */
    public static NdArray hostCopy(dev.lstm4j.api.Tensor t) {
        return StateDict.toHost(t);
    }

    /** Reads a checkpoint written by {@link #save}. */
    public static Checkpoint load(Path file) throws IOException {
        SafetensorsFile content = Safetensors.read(file);
        Map<String, String> meta = new LinkedHashMap<>(content.metadata());
        if (!FORMAT_VERSION.equals(meta.get(FORMAT_KEY))) {
            throw new IOException(file + " is not an lstm4j checkpoint (metadata " + FORMAT_KEY + " = "
                    + meta.get(FORMAT_KEY) + ", expected " + FORMAT_VERSION + ")");
        }
        long step = Long.parseLong(meta.remove(STEP_KEY));
        long optimizerSteps = Long.parseLong(meta.remove(OPTIMIZER_STEPS_KEY));
        meta.remove(FORMAT_KEY);
        Map<String, NdArray> model = new LinkedHashMap<>();
        Map<String, NdArray> optimizer = new LinkedHashMap<>();
        content.tensors().forEach((name, array) -> {
            if (name.startsWith(OPTIMIZER_PREFIX)) {
                optimizer.put(name.substring(OPTIMIZER_PREFIX.length()), array);
            } else {
                model.put(name, array);
            }
        });
        return new Checkpoint(model, optimizer, step, optimizerSteps, meta);
    }

    /** Writes through a temporary sibling, forces it, renames it over {@code file} and forces the folder. */
    static void writeAtomically(Path file, IoWriter writer) throws IOException {
        Path target = file.toAbsolutePath();
        Path folder = target.getParent();
        Files.createDirectories(folder);
        Path temporary = Files.createTempFile(folder, "." + target.getFileName() + ".", ".partial");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel));
                writer.write(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically on this file system", e);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        forceFolder(folder);
    }

    private static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some systems (Windows) cannot open a folder; the rename itself is still atomic there
        }
    }

    @FunctionalInterface
    interface IoWriter {
        void write(OutputStream out) throws IOException;
    }
}
