package dev.lstm4j.api.io;

import dev.lstm4j.api.ParameterLayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Everything that separates a set of named tensors from the parameters of one stack, collected into one
 * message so that a user fixes a checkpoint in one go rather than one name per attempt.
 */
final class ParameterDiff {
    private ParameterDiff() {
    }

    /**
     * Missing, unexpected, mis-shaped and non-floating tensors, or null when {@code shapes} are exactly
     * the layout's parameters.
     *
     * @param shapes tensor shapes by local name
     * @param dtypes tensor encodings by local name; may lack names when unknown
     */
    static String describe(ParameterLayout layout, Map<String, long[]> shapes, Map<String, StoredDType> dtypes) {
        List<String> missing = new ArrayList<>();
        List<String> misshaped = new ArrayList<>();
        List<String> notFloat = new ArrayList<>();
        for (ParameterLayout.Entry e : layout.entries()) {
            long[] found = shapes.get(e.name());
            if (found == null) {
                missing.add(e.name());
            } else if (!Arrays.equals(found, e.shape())) {
                misshaped.add(e.name() + " expected " + Arrays.toString(e.shape()) + ", found "
                        + Arrays.toString(found));
            }
            StoredDType dtype = dtypes.get(e.name());
            if (dtype == StoredDType.I32 || dtype == StoredDType.I64) {
                notFloat.add(e.name() + " is " + dtype);
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : shapes.keySet()) {
            if (!layout.contains(name)) {
                unexpected.add(name);
            }
        }
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) {
            parts.add("missing " + ParameterNames.abbreviate(missing));
        }
        if (!unexpected.isEmpty()) {
            parts.add("unexpected " + ParameterNames.abbreviate(unexpected));
        }
        if (!misshaped.isEmpty()) {
            parts.add("wrong shape: " + String.join("; ", ParameterNames.abbreviate(misshaped)));
        }
        if (!notFloat.isEmpty()) {
            parts.add("not floating point: " + String.join("; ", notFloat));
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }
}
