package dev.lstm4j.bench.cli;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.InputGradients;
import dev.lstm4j.api.OutputGradients;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Rnn;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.RnnOutputs;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.SequenceLayout;
import dev.lstm4j.api.Shapes;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.TrainingForward;
import dev.lstm4j.api.io.ArrayDType;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.api.io.ParameterFiles;
import dev.lstm4j.api.io.TensorFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/**
 * {@code lstm run}: runs a PyTorch-layout LSTM from a safetensors file on NPY inputs and writes {@code y},
 * {@code hn}, {@code cn} as NPY files; given any upstream gradient it also runs the backward pass and
 * writes {@code grad.x}, {@code grad.h0}, {@code grad.c0} and {@code grad.<parameter>} for every parameter.
 *
 * <p>Everything the user supplies is read and checked on the heap before a backend is opened, so a wrong
 * file is reported by its option, path, expected and found shape; the backend's own checks are the
 * second line of defence.
 */
@Command(name = "run", sortOptions = false,
        description = {
            "Runs a PyTorch-layout LSTM (safetensors, nn.LSTM state_dict names) on NPY inputs and writes y.npy, "
                    + "hn.npy and cn.npy into --out.",
            "With any of --dy, --dhn, --dcn it also runs the backward pass and writes grad.x.npy, grad.h0.npy, "
                    + "grad.c0.npy and grad.<parameter>.npy for every parameter (e.g. grad.weight_ih_l0.npy).",
            "States are [layers*directions, B, H], indexed layer*directions + direction, as in PyTorch."})
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "Safetensors file with the stack's parameters (weight_ih_l0, ...); layers, sizes, "
                    + "direction and bias are inferred from names and shapes.")
    Path model;

    @Option(names = "--prefix", paramLabel = "NAME",
            description = "Module prefix of the stack's tensors, e.g. lstm for lstm.weight_ih_l0. "
                    + "Default: the one prefix under which the file holds recurrent tensors.")
    String prefix;

    @Option(names = "--input", required = true, paramLabel = "x.npy",
            description = "x: [T, B, I] (with --batch-first [B, T, I]), float32 or float64.")
    Path input;

    @Option(names = "--h0", paramLabel = "h0.npy", description = "Initial hidden state [layers*directions, B, H]; "
            + "default zeros.")
    Path h0;

    @Option(names = "--c0", paramLabel = "c0.npy", description = "Initial cell state [layers*directions, B, H]; "
            + "default zeros.")
    Path c0;

    @Option(names = "--lengths", paramLabel = "lengths.npy",
            description = "int32 or int64 [B], each in [1, T]: variable-length sequences with the semantics of "
                    + "PyTorch's packed sequences.")
    Path lengths;

    @Option(names = "--dy", paramLabel = "dy.npy", description = "Upstream gradient of y (the shape of y). "
            + "Any of --dy, --dhn, --dcn runs the backward pass; missing ones are zero.")
    Path dy;

    @Option(names = "--dhn", paramLabel = "dhn.npy", description = "Upstream gradient of hn "
            + "[layers*directions, B, H].")
    Path dhn;

    @Option(names = "--dcn", paramLabel = "dcn.npy", description = "Upstream gradient of cn "
            + "[layers*directions, B, H].")
    Path dcn;

    @Option(names = "--batch-first", negatable = true,
            description = "x, y and their gradients are [B, T, ...], as with PyTorch's batch_first=True. "
                    + "Default: the layout saved in the model file by lstm4j, else time-major.")
    Boolean batchFirst;

    @Option(names = "--cell-clip", paramLabel = "X",
            description = "Clamp the cell state to [-X, X] after each update (cuDNN's clip; a stack property that "
                    + "parameter files do not store). Default: no clipping.")
    Double cellClip;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Backend by name (e.g. cpu). Default: lstm.backend / LSTM_BACKEND, else the best "
                    + "available one.")
    String backendName;

    @Option(names = "--dtype", paramLabel = "float32|float64", defaultValue = "float32",
            converter = DTypeConverter.class,
            description = "Dtype to compute in and of the files written (default: ${DEFAULT-VALUE}). Inputs "
                    + "of either float dtype are converted.")
    DType dtype;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Directory for the NPY results; created if missing, existing files are overwritten.")
    Path out;

    @Override
    public Integer call() throws IOException {
        RnnSpec spec = readSpec();
        RunInputs inputs = RunInputs.read(spec, paths());
        try (Backend backend = backendName == null ? Backends.select() : Backends.select(backendName)) {
            run(backend, spec, inputs);
        }
        return 0;
    }

    /** As {@link #call()} on a backend the caller owns, so that a test can check what stays allocated. */
    int runOn(Backend backend) throws IOException {
        RnnSpec spec = readSpec();
        run(backend, spec, RunInputs.read(spec, paths()));
        return 0;
    }

    private RunInputs.Paths paths() {
        return new RunInputs.Paths(input, h0, c0, lengths, dy, dhn, dcn);
    }

    /** The stack in the model file, with the layout from the command line when one was given. */
    private RnnSpec readSpec() {
        RnnSpec spec;
        try {
            spec = ParameterFiles.inferSpec(model, prefix);
        } catch (IOException e) {
            throw modelFailure(e);
        }
        RnnSpec.Builder chosen = spec.toBuilder();
        if (batchFirst != null) {
            chosen.batchFirst(batchFirst);
        }
        if (cellClip != null) {
            try {
                chosen.cellClip(cellClip);
                return chosen.build();
            } catch (IllegalArgumentException e) {
                throw new ToolFailure("--cell-clip " + cellClip + ": " + e.getMessage(), e);
            }
        }
        return chosen.build();
    }

    private void loadParameters(Parameters params) {
        try {
            ParameterFiles.load(model, params, prefix);
        } catch (IOException e) {
            throw modelFailure(e);
        }
    }

    private ToolFailure modelFailure(IOException e) {
        if (e instanceof NoSuchFileException) {
            return new ToolFailure("--model: file not found: " + model, e);
        }
        if (e instanceof TensorFileException) {
            // the message starts with the file
            return new ToolFailure("--model " + e.getMessage() + (prefix == null ? "" : " (looking under --prefix "
                    + prefix + ")"), e);
        }
        return new ToolFailure("--model: cannot read " + model + ": " + ToolFailure.describe(e), e);
    }

    private void run(Backend backend, RnnSpec spec, RunInputs in) {
        if (!backend.supportedDTypes().contains(dtype)) {
            throw new ToolFailure("backend " + backend.name() + " does not compute in " + name(dtype)
                    + "; it supports " + backend.supportedDTypes().stream().map(RunCommand::name).toList());
        }
        try (Rnn rnn = backend.rnn(spec, dtype);
             Parameters params = rnn.newParameters()) {
            loadParameters(params);
            RunOutputs outputs = new RunOutputs(out, dtype);   // only once every input is known to be good
            try (Tensor x = upload(backend, in.x());
                 Tensor initialH = upload(backend, in.h0());
                 Tensor initialC = upload(backend, in.c0())) {
                RnnInputs rnnInputs = new RnnInputs(x, initialH, initialC, in.lengths());
                if (in.wantsBackward()) {
                    forwardAndBackward(rnn, params, rnnInputs, in, outputs);
                } else {
                    try (RnnOutputs result = rnn.forwardInference(params, rnnInputs)) {
                        writeForward(result, outputs);
                    }
                }
            }
            printSummary(backend, spec, in, outputs);
        }
    }

    private void forwardAndBackward(Rnn rnn, Parameters params, RnnInputs rnnInputs, RunInputs in,
                                    RunOutputs outputs) {
        Backend backend = rnn.backend();
        try (TrainingForward forward = rnn.forwardTraining(params, rnnInputs);
             Tensor gradY = upload(backend, in.dy());
             Tensor gradHn = upload(backend, in.dhn());
             Tensor gradCn = upload(backend, in.dcn());
             InputGradients inputGrads = rnn.backwardData(forward.reserve(),
                     new OutputGradients(gradY, gradHn, gradCn));
             Parameters paramGrads = rnn.newParameters()) {   // zero: backwardWeights adds into it
            rnn.backwardWeights(forward.reserve(), paramGrads);
            writeForward(forward.outputs(), outputs);
            outputs.write("grad.x", inputGrads.dx());
            outputs.write("grad.h0", inputGrads.dh0());
            outputs.write("grad.c0", inputGrads.dc0());
            for (String name : paramGrads.names()) {
                outputs.write("grad." + name, paramGrads, name);
            }
        }
    }

    private static void writeForward(RnnOutputs result, RunOutputs outputs) {
        outputs.write("y", result.y());
        outputs.write("hn", result.hn());
        outputs.write("cn", result.cn());
    }

    /** A backend tensor in the computing dtype holding {@code array}, or null for null. */
    private Tensor upload(Backend backend, NdArray array) {
        if (array == null) {
            return null;
        }
        return array.dtype() == ArrayDType.FLOAT32 ? backend.tensor(dtype, array.floats(), array.shape())
                : backend.tensor(dtype, array.toDoubles(), array.shape());
    }

    private void printSummary(Backend backend, RnnSpec spec, RunInputs in, RunOutputs outputs) {
        PrintWriter w = command.commandLine().getOut();
        w.println("model    " + model + ": " + describe(spec));
        w.println("backend  " + backend.description() + "; " + name(dtype));
        StringJoiner given = new StringJoiner(", ", "input    ", "");
        given.add("x " + Shapes.format(in.x().shape()) + " (T = " + in.seqLen() + ", B = " + in.batch() + ")");
        addIfGiven(given, "h0", in.h0() != null);
        addIfGiven(given, "c0", in.c0() != null);
        addIfGiven(given, "lengths", in.lengths() != null);
        w.println(given);
        if (in.wantsBackward()) {
            StringJoiner upstream = new StringJoiner(", ", "pass     forward and backward (upstream ", "; the rest zero)");
            addIfGiven(upstream, "dy", in.dy() != null);
            addIfGiven(upstream, "dhn", in.dhn() != null);
            addIfGiven(upstream, "dcn", in.dcn() != null);
            w.println(upstream);
        } else {
            w.println("pass     forward");
        }
        w.println("wrote    " + outputs.dir() + ":");
        List<RunOutputs.Written> arrays = outputs.arrays();
        for (int k = 0; k < arrays.size(); k += 3) {
            w.println("         " + String.join(", ",
                    arrays.subList(k, Math.min(k + 3, arrays.size())).stream().map(Object::toString).toList()));
        }
        List<RunOutputs.Written> parameters = outputs.parameters();
        if (!parameters.isEmpty()) {
            w.println("         grad.<parameter>.npy for " + parameters.size() + " parameters: "
                    + parameters.get(0) + " ... " + parameters.get(parameters.size() - 1));
        }
        w.flush();
    }

    private static void addIfGiven(StringJoiner joiner, String name, boolean given) {
        if (given) {
            joiner.add(name);
        }
    }

    /** {@code "LSTM, input size 7, hidden size 5, 2 layers, bidirectional, bias, time-major"}. */
    static String describe(RnnSpec spec) {
        return spec.cell() + ", input size " + spec.inputSize() + ", hidden size " + spec.hiddenSize() + ", "
                + spec.numLayers() + (spec.numLayers() == 1 ? " layer" : " layers")
                + (spec.bidirectional() ? ", bidirectional" : ", unidirectional")
                + (spec.bias() ? ", bias" : ", no bias")
                + (spec.layout() == SequenceLayout.BATCH_FIRST ? ", batch-first" : ", time-major")
                + (spec.clipsCell() ? ", cell clip " + spec.cellClip() : "");
    }

    private static String name(DType dtype) {
        return dtype.name().toLowerCase(Locale.ROOT);
    }

    /** {@code float32} or {@code float64}, in any case. */
    static final class DTypeConverter implements ITypeConverter<DType> {
        @Override
        public DType convert(String value) {
            for (DType d : DType.values()) {
                if (name(d).equalsIgnoreCase(value.trim())) {
                    return d;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a dtype; expected float32 or float64");
        }
    }
}
