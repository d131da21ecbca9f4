package dev.lstm4j.api.io;

import dev.lstm4j.api.CellType;
import dev.lstm4j.api.ParameterLayout;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.SequenceLayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Recovers a stack's {@link RnnSpec} from its PyTorch parameter names and shapes.
 *
 * <p>{@code weight_hh_l0} {@code [G*H, H]} gives the hidden size and the gate count {@code G} (4: LSTM,
 * 3: GRU), {@code weight_ih_l0} {@code [G*H, I]} the input size, the largest {@code _l{k}} the number of
 * layers, any {@code _reverse} bidirectionality and any {@code bias_*} the bias. The result is then
 * checked against every tensor, so a missing layer or a stray shape is reported, not silently dropped.
 * The sequence layout is not in the weights; it comes from the caller.
 */
final class SpecInference {
    private SpecInference() {
    }

    /**
     * @param local    shapes by local (prefix-free) name
     * @param cellHint the cell named in file metadata, or null; it must agree with the gate count
     * @throws IllegalArgumentException naming what is missing or inconsistent
     */
    static RnnSpec infer(Map<String, long[]> local, CellType cellHint, SequenceLayout layout) {
        int maxLayer = -1;
        boolean reverse = false;
        boolean bias = false;
        boolean peephole = false;
        List<String> unrecognized = new ArrayList<>();
        for (String name : local.keySet()) {
            ParameterNames.Parsed p = ParameterNames.parse(name);
            if (p == null) {
                unrecognized.add(name);
            } else {
                maxLayer = Math.max(maxLayer, p.layer());
                reverse |= p.direction() == 1;
                bias |= p.kind() == ParameterLayout.Kind.BIAS_IH || p.kind() == ParameterLayout.Kind.BIAS_HH;
                peephole |= p.kind() == ParameterLayout.Kind.WEIGHT_PEEPHOLE;
            }
        }
        if (!unrecognized.isEmpty()) {
            throw new IllegalArgumentException("unexpected tensors " + ParameterNames.abbreviate(unrecognized)
                    + "; expected only weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, (projection) "
                    + "weight_hr_l{k} and (peephole LSTM) weight_peephole_l{k}, each optionally with _reverse");
        }
        if (maxLayer < 0) {
            throw new IllegalArgumentException("no recurrent parameters: expected at least weight_ih_l0 and "
                    + "weight_hh_l0");
        }
        long[] hh = required(local, "weight_hh_l0", "the hidden size and the cell type");
        long[] hr = local.get("weight_hr_l0");   // [P, H] with projection: then weight_hh is [G*H, P]
        if (hr != null && (hr.length != 2 || hr[0] < 1 || hr[1] <= hr[0] || hr[1] > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("weight_hr_l0 has shape " + Arrays.toString(hr)
                    + "; expected [P, H] with 1 <= P < H (nn.LSTM's proj_size)");
        }
        long hidden = hr != null ? hr[1] : (hh.length == 2 ? hh[1] : -1);
        long stateWidth = hr != null ? hr[0] : hidden;
        if (hh.length != 2 || hidden < 1 || hidden > Integer.MAX_VALUE || hh[1] != stateWidth
                || hh[0] % hidden != 0 || (hh[0] / hidden != 3 && hh[0] / hidden != 4)) {
            throw new IllegalArgumentException("weight_hh_l0 has shape " + Arrays.toString(hh)
                    + (hr != null ? "; with projection weight_hr_l0 " + Arrays.toString(hr) + " expected [4*H, P] = ["
                    + 4 * hidden + ", " + stateWidth + "]" : "; expected [4*H, H] for an LSTM or [3*H, H] for a GRU"));
        }
        int hiddenSize = (int) hidden;
        int gates = (int) (hh[0] / hidden);
        CellType cell = cellOf(gates, peephole, cellHint);
        long[] ih = required(local, "weight_ih_l0", "the input size");
        if (ih.length != 2 || ih[0] != hh[0] || ih[1] < 1 || ih[1] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("weight_ih_l0 has shape " + Arrays.toString(ih) + "; expected ["
                    + hh[0] + ", inputSize], with as many rows as weight_hh_l0 " + Arrays.toString(hh));
        }
        RnnSpec spec;
        ParameterLayout expected;
        try {
            spec = new RnnSpec(cell, (int) ih[1], hiddenSize, maxLayer + 1, reverse, bias, layout, 0.0,
                    hr == null ? 0 : (int) hr[0], 0.0);
            expected = new ParameterLayout(spec);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("the tensors describe no valid stack: " + e.getMessage(), e);
        }
        String diff = ParameterDiff.describe(expected, local, Map.of());
        if (diff != null) {
            throw new IllegalArgumentException("tensors do not form a consistent " + describe(spec) + ": " + diff);
        }
        return spec;
    }

    /** {@code "LSTM stack (inputSize=3, hiddenSize=4, numLayers=2, bidirectional, bias)"}, for messages. */
    static String describe(RnnSpec spec) {
        return spec.cell() + " stack (inputSize=" + spec.inputSize() + ", hiddenSize=" + spec.hiddenSize()
                + ", numLayers=" + spec.numLayers() + (spec.bidirectional() ? ", bidirectional" : "")
                + (spec.bias() ? ", bias" : ", no bias") + ")";
    }

    /** The cell from the gate count and the presence of peephole weights; file metadata must agree. */
    private static CellType cellOf(int gates, boolean peephole, CellType hint) {
        if (peephole && gates != CellType.PEEPHOLE_LSTM.gateCount()) {
            throw new IllegalArgumentException("peephole weights belong to an LSTM, but weight_hh_l0 has " + gates
                    + " gate blocks (a GRU has 3)");
        }
        CellType found = peephole ? CellType.PEEPHOLE_LSTM
                : gates == CellType.LSTM.gateCount() ? CellType.LSTM : CellType.GRU;
        if (hint != null && hint != found) {
            throw new IllegalArgumentException("the file's metadata names cell " + hint + ", but its tensors ("
                    + gates + " gate blocks" + (peephole ? ", peephole weights" : ", no peephole weights")
                    + ") describe a " + found);
        }
        return found;
    }

    private static long[] required(Map<String, long[]> local, String name, String why) {
        long[] shape = local.get(name);
        if (shape == null) {
            throw new IllegalArgumentException(name + " is missing; it gives " + why + " (found "
                    + ParameterNames.abbreviate(new ArrayList<>(local.keySet())) + ")");
        }
        return shape;
    }
}
