package dev.lstm4j.peer;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark catalogue: the four standard sizes, PyTorch's fastrnns default, DeepBench-style shapes, and
 * 2-layer and bidirectional variants of medium. Groups name several at once: {@code standard},
 * {@code deepbench}, {@code all}.
 */
public final class BenchConfigs {
    private static final Map<String, BenchConfig> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, List<String>> GROUPS = new LinkedHashMap<>();

    static {
        add("small", StackShape.of(25, 16, 128, 128));
        add("medium", StackShape.of(50, 32, 256, 256));
        add("large", StackShape.of(100, 64, 512, 512));
        add("xl", StackShape.of(100, 128, 1024, 1024));
        // torch/benchmarks/fastrnns: seqLength 100, miniBatch 64, inputSize = hiddenSize = 512.
        add("fastrnns", StackShape.of(100, 64, 512, 512));
        // DeepBench's LSTM training shapes use short sequences over a range of hidden sizes and batches.
        List<String> deepbench = new ArrayList<>();
        for (int hidden : new int[] {512, 1024, 2048}) {
            for (int batch : new int[] {16, 64, 128}) {
                String name = "deepbench-h" + hidden + "-b" + batch;
                add(name, StackShape.of(25, batch, hidden, hidden));
                deepbench.add(name);
            }
        }
        add("medium-2layer", new StackShape(50, 32, 256, 256, 2, false));
        add("medium-bidir", new StackShape(50, 32, 256, 256, 1, true));

        GROUPS.put("standard", List.of("small", "medium", "large", "xl"));
        GROUPS.put("quick", List.of("small", "medium"));
        GROUPS.put("deepbench", List.copyOf(deepbench));
        GROUPS.put("all", List.copyOf(BY_NAME.keySet()));
    }

    private BenchConfigs() {
    }

    private static void add(String name, StackShape shape) {
        BY_NAME.put(name, new BenchConfig(name, shape));
    }

    /** Every configuration, in catalogue order. */
    public static List<BenchConfig> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** The names of every configuration and group, for help texts. */
    private static String describeNames() {
        return String.join(", ", BY_NAME.keySet()) + "; groups " + String.join(", ", GROUPS.keySet());
    }

    /** Every name {@link #resolve} accepts: configurations, then groups. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(BY_NAME.keySet());
        names.addAll(GROUPS.keySet());
        return names;
    }

    /**
     * Resolves configuration and group names to configurations, in the order given, without repeats.
     *
     * @throws IllegalArgumentException naming the unknown name and the known ones
     */
    public static List<BenchConfig> resolve(List<String> names) {
        Map<String, BenchConfig> chosen = new LinkedHashMap<>();
        for (String name : names) {
            List<String> members = GROUPS.get(name);
            for (String member : members != null ? members : List.of(name)) {
                BenchConfig config = BY_NAME.get(member);
                if (config == null) {
                    throw new IllegalArgumentException("unknown benchmark configuration '" + name + "'; known: "
                            + describeNames());
                }
                chosen.put(member, config);
            }
        }
        return List.copyOf(chosen.values());
    }

    public static BenchConfig byName(String name) {
        return resolve(List.of(name)).get(0);
    }
}
