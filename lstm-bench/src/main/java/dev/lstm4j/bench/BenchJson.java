package dev.lstm4j.bench;

import dev.lstm4j.peer.Samples;
import dev.lstm4j.peer.StackShape;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JSON form of a {@link BenchReport}, schema {@value #SCHEMA}. Every derived figure is written next to
 * the numbers it comes from (shape, median, ceiling), with the formulas in {@code "formulas"}, so anyone can
 * recompute it.
 */
public final class BenchJson {
    public static final String SCHEMA = "lstm4j-bench/1";

    private BenchJson() {
    }

    public static void write(BenchReport report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson(report), StandardCharsets.UTF_8);
    }

    public static String toJson(BenchReport report) {
        JsonWriter w = new JsonWriter().beginObject();
        w.member("schema", SCHEMA);
        w.name("provenance").beginObject();
        report.provenance().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> w.member(e.getKey(), e.getValue()));
        w.endObject();
        w.name("formulas").beginObject()
                .member("forward_flops", "sum over layers and directions of 2*T*B*4H*(I_layer+H), "
                        + "I_layer = I for layer 0, directions*H above")
                .member("train_flops", "3 * forward_flops (forward, backward data, backward weights)")
                .member("gflops", "flops / (median_ms * 1e6)")
                .member("fraction_of_ceiling", "gflops / gflops of the ceiling with the same backend and threads")
                .member("speedup", "peer median_ms / lstm4j median_ms (above 1: lstm4j is faster)")
                .endObject();
        w.name("ceilings").beginArray();
        for (CeilingResult c : report.ceilings()) {
            w.beginObject().member("backend", c.backend()).member("threads", c.threads())
                    .member("operation", c.operation()).member("m", c.size()).member("n", c.size())
                    .member("k", c.size()).member("flops", c.flops());
            samples(w, c.samples());
            w.member("gflops", c.gflops()).endObject();
        }
        w.endArray();
        w.name("results").beginArray();
        for (BenchResult r : report.results()) {
            result(w, report, r);
        }
        w.endArray();
        return w.endObject().toString();
    }

    private static void result(JsonWriter w, BenchReport report, BenchResult r) {
        StackShape s = r.config().shape();
        w.beginObject().member("engine", r.engine()).member("backend", r.backend())
                .member("config", r.config().name()).member("T", s.seqLen()).member("B", s.batch())
                .member("I", s.inputSize()).member("H", s.hiddenSize()).member("layers", s.numLayers())
                .member("directions", s.directions()).member("mode", r.mode().label())
                .member("threads", r.threads()).member("status", r.ok() ? "ok" : "failed");
        if (!r.ok()) {
            w.member("error", r.error());
            w.endObject();
            return;
        }
        w.member("flops", r.flops());
        samples(w, r.samples());
        w.member("gflops", r.gflops());
        w.name("fraction_of_ceiling").value(report.fractionOfCeiling(r).orElse(Double.NaN));
        if (r.agreement() != null) {
            Agreement a = r.agreement();
            w.name("agreement").beginObject().member("max_abs_diff_y", a.outputDiff())
                    .member("max_abs_diff_dx", a.inputGradientDiff()).member("tolerance", a.tolerance())
                    .member("agrees", a.agrees()).endObject();
        }
        if (r.isLstm4j()) {
            w.name("peers").beginObject();
            for (BenchResult peer : report.peersOf(r)) {
                w.name(peer.engine()).beginObject();
                if (peer.ok()) {
                    w.member("median_ms", peer.medianMillis())
                            .member("speedup", BenchReport.speedup(r, peer).orElse(Double.NaN));
                } else {
                    w.member("error", peer.error());
                }
                w.endObject();
            }
            w.endObject();
        }
        w.endObject();
    }

    private static void samples(JsonWriter w, Samples samples) {
        w.member("median_ms", samples.median()).member("min_ms", samples.min()).member("max_ms", samples.max());
        w.name("samples_ms").beginArray();
        for (double ms : samples.millis()) {
            w.value(ms);
        }
        w.endArray();
    }
}
