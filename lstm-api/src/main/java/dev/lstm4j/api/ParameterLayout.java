package dev.lstm4j.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each named parameter of a stack lives in its one packed buffer.
 *
 * <p>Names, shapes and order are PyTorch's {@code nn.LSTM.state_dict()}: for each layer {@code k}, the
 * forward direction then the reverse one ({@code _reverse} suffix), each with {@code weight_ih_l{k}}
 * {@code [G*H, I_k]}, {@code weight_hh_l{k}} {@code [G*H, H]} and, with bias, {@code bias_ih_l{k}} and
 * {@code bias_hh_l{k}} {@code [G*H]}; {@code G} is the gate count. All four tensors of one layer and
 * direction are contiguous, so a kernel finds them from one {@link Block}.
 */
public final class ParameterLayout {

    /** One named tensor inside the packed buffer; {@code offset} counts elements, not bytes. */
    public record Entry(String name, int layer, int direction, Kind kind, long[] shape, long offset) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** Number of elements. */
        public long size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** The role of a parameter tensor. */
    public enum Kind {
        WEIGHT_IH("weight_ih"), WEIGHT_HH("weight_hh"), BIAS_IH("bias_ih"), BIAS_HH("bias_hh"),
        /** The peephole LSTM's diagonal weights {@code [3, H]}, rows i, f, o (lstm4j's name; PyTorch has none). */
        WEIGHT_PEEPHOLE("weight_peephole"),
        /** The projection {@code [P, H]} of an LSTM with {@code proj_size} (PyTorch's name). */
        WEIGHT_HR("weight_hr");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        /** PyTorch's name of this tensor for a layer and direction, e.g. {@code weight_hh_l1_reverse}. */
        public String nameFor(int layer, int direction) {
            return prefix + "_l" + layer + (direction == 1 ? "_reverse" : "");
        }
    }

    /**
     * Offsets (in elements) of one layer and direction's tensors. {@code bIh} and {@code bHh} are -1 when
     * the stack has no bias, {@code peephole} when the cell has no peepholes, {@code wHr} without projection.
     */
    public record Block(int layer, int direction, int inputSize, long wIh, long wHh, long bIh, long bHh,
                        long peephole, long wHr) {
        public boolean hasBias() {
            return bIh >= 0;
        }

        public boolean hasPeephole() {
            return peephole >= 0;
        }

        public boolean hasProjection() {
            return wHr >= 0;
        }
    }

    private final RnnSpec spec;
    private final Map<String, Entry> entries;  // insertion order = PyTorch order = packing order
    private final Block[] blocks;               // [layer * directions + direction]
    private final long totalSize;

    public ParameterLayout(RnnSpec spec) {
        this.spec = spec;
        Map<String, Entry> map = new LinkedHashMap<>();
        blocks = new Block[spec.stateLayers()];
        long offset = 0;
        long rows = spec.gateRows();
        for (int layer = 0; layer < spec.numLayers(); layer++) {
            int in = spec.layerInputSize(layer);
            for (int dir = 0; dir < spec.directions(); dir++) {
                long wIh = offset;
                offset = add(map, layer, dir, Kind.WEIGHT_IH, new long[] {rows, in}, offset);
                long wHh = offset;
                offset = add(map, layer, dir, Kind.WEIGHT_HH, new long[] {rows, spec.stateSize()}, offset);
                long bIh = -1;
                long bHh = -1;
                if (spec.bias()) {
                    bIh = offset;
                    offset = add(map, layer, dir, Kind.BIAS_IH, new long[] {rows}, offset);
                    bHh = offset;
                    offset = add(map, layer, dir, Kind.BIAS_HH, new long[] {rows}, offset);
                }
                long peephole = -1;
                if (spec.cell() == CellType.PEEPHOLE_LSTM) {
                    peephole = offset;
                    offset = add(map, layer, dir, Kind.WEIGHT_PEEPHOLE, new long[] {3, spec.hiddenSize()}, offset);
                }
                long wHr = -1;
                if (spec.projects()) {
                    wHr = offset;
                    offset = add(map, layer, dir, Kind.WEIGHT_HR, new long[] {spec.projSize(), spec.hiddenSize()},
                            offset);
                }
                blocks[layer * spec.directions() + dir] = new Block(layer, dir, in, wIh, wHh, bIh, bHh, peephole,
                        wHr);
            }
        }
        this.entries = Collections.unmodifiableMap(map);
        this.totalSize = offset;
    }

    private static long add(Map<String, Entry> map, int layer, int dir, Kind kind, long[] shape, long offset) {
        String name = kind.nameFor(layer, dir);
        Entry e = new Entry(name, layer, dir, kind, shape, offset);
        map.put(name, e);
        return Math.addExact(offset, e.size());
    }

    public RnnSpec spec() {
        return spec;
    }

    /** Elements in the packed buffer. */
    public long totalSize() {
        return totalSize;
    }

    /** All entries in packing order. */
    public List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    /** Names in packing order. */
    public List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    /** The entry called {@code name}, or an {@link IllegalArgumentException} listing the valid names. */
    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "' in this " + spec.cell()
                    + " stack; expected one of " + entries.keySet());
        }
        return e;
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** Offsets of one layer and direction. */
    public Block block(int layer, int direction) {
        return blocks[layer * spec.directions() + direction];
    }
}
