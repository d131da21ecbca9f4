package dev.lstm4j.api.io;

import dev.lstm4j.api.CellType;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.SequenceLayout;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Saves and loads {@link Parameters} as safetensors files that PyTorch reads and writes: the names,
 * shapes and order of {@code nn.LSTM.state_dict()}, so that
 * {@code lstm.load_state_dict(safetensors.torch.load_file(path))} takes a file saved here, and a file
 * saved from PyTorch loads here.
 *
 * <p><b>Prefixes.</b> A module that wraps its LSTM as {@code self.lstm} saves {@code lstm.weight_ih_l0}.
 * Every method taking a {@code prefix} reads only the tensors named {@code prefix + name} where
 * {@code name} has no dot ({@code "lstm"} and {@code "lstm."} are the same prefix, {@code ""} means
 * top-level names) and ignores all other tensors, such as a classifier head. Without a prefix, the one
 * prefix under which recurrent names occur is used; when there are several, the call fails and asks for
 * one.
 *
 * <p>Files saved here carry metadata {@code format=pt}, {@code lstm4j.cell} and {@code lstm4j.layout},
 * which {@link #inferSpec(Path)} uses to recover what the shapes cannot tell (peephole LSTM vs LSTM,
 * batch-first layout).
 */
public final class ParameterFiles {
    public static final String CELL_KEY = "lstm4j.cell";
    public static final String LAYOUT_KEY = "lstm4j.layout";

    private ParameterFiles() {
    }

    /** Saves with top-level names, in F32 or F64 as the parameters' dtype. */
    public static void save(Parameters parameters, Path file) throws IOException {
        save(parameters, file, "");
    }

    /** Saves with names {@code prefix + name}, e.g. prefix {@code "lstm"} for a module's {@code self.lstm}. */
    public static void save(Parameters parameters, Path file, String prefix) throws IOException {
        String p = ParameterNames.normalizePrefix(Objects.requireNonNull(prefix, "prefix"));
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        for (String name : parameters.names()) {
            long[] shape = parameters.shape(name);
            NdArray array = parameters.dtype() == DType.FLOAT64
                    ? NdArray.wrap(ArrayDType.FLOAT64, shape, parameters.readDoubles(name))
                    : NdArray.wrap(ArrayDType.FLOAT32, shape, parameters.readFloats(name));
            tensors.put(p + name, array);
        }
        save(parameters.spec(), tensors, file);
    }

    /**
     * Saves named tensors of the stack {@code spec} (PyTorch's names, any prefix already applied) with the
     * metadata {@link #inferSpec(Path)} reads, for weights that are not held in {@link Parameters}, such as
     * weights imported from another framework.
     */
    public static void save(RnnSpec spec, Map<String, NdArray> tensors, Path file) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put(CELL_KEY, spec.cell().name());
        metadata.put(LAYOUT_KEY, spec.layout().name());
        Safetensors.write(new SafetensorsFile(tensors, metadata), file);
    }

    /** Fills {@code target} from {@code file}, finding the prefix as described in the class comment. */
    public static void load(Path file, Parameters target) throws IOException {
        load(file, target, null);
    }

    /**
     * Fills {@code target} from the tensors under {@code prefix} (null: detect it). Every parameter of
     * {@code target} must be there with its exact shape and a floating dtype (F16, BF16, F32, F64; converted
     * to the target's dtype), and no other tensor may be under the prefix; otherwise nothing is written and
     * one {@link ParameterMismatchException} lists every difference.
     */
    public static void load(Path file, Parameters target, String prefix) throws IOException {
        SafetensorsHeader header = Safetensors.readHeader(file);
        String p = resolvePrefix(file, header, prefix);
        Map<String, long[]> shapes = ParameterNames.select(header.shapes(), p);
        Map<String, StoredDType> dtypes = new LinkedHashMap<>();
        ParameterNames.select(header.tensors(), p).forEach((name, e) -> dtypes.put(name, e.dtype()));
        String diff = ParameterDiff.describe(target.layout(), shapes, dtypes);
        if (diff != null) {
            throw new ParameterMismatchException(file.toString(), "tensors" + (p.isEmpty() ? "" : " under prefix '"
                    + p + "'") + " are not the parameters of " + SpecInference.describe(target.spec()) + ": "
                    + diff);
        }
        SafetensorsFile content = Safetensors.read(file, name -> name.startsWith(p)
                && target.layout().contains(name.substring(p.length())));
        for (String name : target.names()) {
            NdArray array = content.tensor(p + name);
            if (array.dtype() == ArrayDType.FLOAT64) {
                target.write(name, (double[]) array.data());
            } else {
                target.write(name, (float[]) array.data());
            }
        }
    }

    /** The spec of the only stack in {@code file}; see {@link #inferSpec(Path, String)}. */
    public static RnnSpec inferSpec(Path file) throws IOException {
        return inferSpec(file, null);
    }

    /**
     * The spec of the stack under {@code prefix} (null: detect it), from names and shapes only, with the
     * cell and layout taken from lstm4j metadata when present (else LSTM or GRU by gate count, time-major).
     */
    public static RnnSpec inferSpec(Path file, String prefix) throws IOException {
        SafetensorsHeader header = Safetensors.readHeader(file);
        String p = resolvePrefix(file, header, prefix);
        Map<String, String> metadata = header.metadata();
        try {
            CellType cell = metadataEnum(metadata, CELL_KEY, CellType.class, null);
            SequenceLayout layout = metadataEnum(metadata, LAYOUT_KEY, SequenceLayout.class, SequenceLayout.TIME_MAJOR);
            return SpecInference.infer(ParameterNames.select(header.shapes(), p), cell, layout);
        } catch (IllegalArgumentException e) {
            throw new ParameterMismatchException(file.toString(), e.getMessage(), e);
        }
    }

    /** The spec of the only stack among {@code shapes}, its prefix detected. */
    public static RnnSpec inferSpec(Map<String, long[]> shapes) {
        return inferSpec(shapes, null);
    }

    /**
     * The spec of the stack under {@code prefix} (null: detect it) among tensor shapes by name, as LSTM
     * (4 gate blocks) or GRU (3), time-major.
     *
     * @throws IllegalArgumentException when the tensors are not one consistent stack; the message lists
     *                                  what is missing or mis-shaped
     */
    public static RnnSpec inferSpec(Map<String, long[]> shapes, String prefix) {
        String p = ParameterNames.resolvePrefix(shapes.keySet(), prefix);
        return SpecInference.infer(ParameterNames.select(shapes, p), null, SequenceLayout.TIME_MAJOR);
    }

    private static <E extends Enum<E>> E metadataEnum(Map<String, String> metadata, String key, Class<E> type,
                                                      E absent) {
        String value = metadata.get(key);
        if (value == null) {
            return absent;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("metadata " + key + " is '" + value + "'; expected one of "
                + Arrays.toString(type.getEnumConstants()));
    }

    private static String resolvePrefix(Path file, SafetensorsHeader header, String prefix)
            throws ParameterMismatchException {
        try {
            return ParameterNames.resolvePrefix(header.tensors().keySet(), prefix);
        } catch (IllegalArgumentException e) {
            throw new ParameterMismatchException(file.toString(), e.getMessage(), e);
        }
    }
}
