package dev.lstm4j.api.io;

import dev.lstm4j.api.ParameterLayout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PyTorch's recurrent parameter names ({@code weight_ih_l0}, {@code bias_hh_l2_reverse}) and the module
 * prefixes a {@code state_dict} puts before them ({@code lstm.weight_ih_l0} for a module's {@code self.lstm}).
 *
 * <p>Prefix rule: the tensors of a stack are those named {@code prefix + local} where {@code local} has no
 * dot; every other tensor in the file (a classifier head, an embedding, another stack) is ignored. With
 * no prefix given, the prefix is found from the recurrent-looking names, and must be unique.
 */
final class ParameterNames {
    // layer numbers beyond 5 digits are no real stack and would only overflow
    private static final Pattern RECURRENT =
            Pattern.compile("(weight_ih|weight_hh|bias_ih|bias_hh|weight_peephole|weight_hr)_l(0|[1-9][0-9]{0,4})"
                    + "(_reverse)?");

    private ParameterNames() {
    }

    /** A parsed local name. */
    record Parsed(ParameterLayout.Kind kind, int layer, int direction) {
    }

    /** The parsed name, or null when {@code local} is not a recurrent parameter name. */
    static Parsed parse(String local) {
        Matcher m = RECURRENT.matcher(local);
        if (!m.matches()) {
            return null;
        }
        ParameterLayout.Kind kind = switch (m.group(1)) {
            case "weight_ih" -> ParameterLayout.Kind.WEIGHT_IH;
            case "weight_hh" -> ParameterLayout.Kind.WEIGHT_HH;
            case "bias_ih" -> ParameterLayout.Kind.BIAS_IH;
            case "bias_hh" -> ParameterLayout.Kind.BIAS_HH;
            case "weight_peephole" -> ParameterLayout.Kind.WEIGHT_PEEPHOLE;
            default -> ParameterLayout.Kind.WEIGHT_HR;
        };
        return new Parsed(kind, Integer.parseInt(m.group(2)), m.group(3) == null ? 0 : 1);
    }

    /** {@code "lstm"} and {@code "lstm."} both mean the module {@code lstm}; {@code ""} means top-level names. */
    static String normalizePrefix(String prefix) {
        return prefix.isEmpty() || prefix.endsWith(".") ? prefix : prefix + ".";
    }

    /**
     * The one prefix under which {@code names} hold recurrent parameters.
     *
     * @throws IllegalArgumentException when there is none, or several (then the caller must choose)
     */
    static String detectPrefix(Iterable<String> names) {
        TreeSet<String> prefixes = new TreeSet<>();
        List<String> all = new ArrayList<>();
        for (String name : names) {
            all.add(name);
            int dot = name.lastIndexOf('.');
            if (parse(name.substring(dot + 1)) != null) {
                prefixes.add(name.substring(0, dot + 1));
            }
        }
        if (prefixes.isEmpty()) {
            throw new IllegalArgumentException("no recurrent parameters found: expected names such as "
                    + "weight_ih_l0 or lstm.weight_ih_l0, found " + abbreviate(all));
        }
        if (prefixes.size() > 1) {
            throw new IllegalArgumentException("recurrent parameters under several prefixes " + quoted(prefixes)
                    + "; pass the prefix of the stack to use");
        }
        return prefixes.first();
    }

    /** The tensors of the stack under {@code prefix}, keyed by local name, in their original order. */
    static <T> Map<String, T> select(Map<String, T> tensors, String prefix) {
        Map<String, T> local = new LinkedHashMap<>();
        tensors.forEach((name, value) -> {
            if (name.startsWith(prefix) && name.indexOf('.', prefix.length()) < 0) {
                local.put(name.substring(prefix.length()), value);
            }
        });
        return local;
    }

    /** The selection for an explicit prefix, or for the detected one when {@code prefix} is null. */
    static String resolvePrefix(Iterable<String> names, String prefix) {
        return prefix == null ? detectPrefix(names) : normalizePrefix(prefix);
    }

    /** At most the first 10 items, then a count, so that a message stays readable for any input. */
    static List<String> abbreviate(List<String> items) {
        if (items.size() <= 10) {
            return items;
        }
        List<String> head = new ArrayList<>(items.subList(0, 10));
        head.add("... (" + items.size() + " in all)");
        return head;
    }

    private static String quoted(Iterable<String> prefixes) {
        List<String> q = new ArrayList<>();
        prefixes.forEach(p -> q.add("'" + p + "'"));
        return q.toString();
    }
}
