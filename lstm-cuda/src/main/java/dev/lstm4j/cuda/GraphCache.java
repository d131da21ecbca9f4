package dev.lstm4j.cuda;

import org.bytedeco.cuda.cudart.CUgraphExec_st;
import org.bytedeco.cuda.cudart.CUgraph_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Executable CUDA graphs keyed by the command list they were captured from. A list is captured the first time
 * it is seen and replayed with one {@code cudaGraphLaunch} when an equal list comes again, which removes the
 * per-step launch cost of the time loop. Equal lists do identical work by construction (a command is its
 * addresses, sizes and scalars), so a replay can never act on stale pointers. Least recently used graphs are
 * destroyed beyond the capacity.
 */
final class GraphCache implements AutoCloseable {
    private final int capacity;
    private final LinkedHashMap<List<Command>, CUgraphExec_st> graphs = new LinkedHashMap<>(16, 0.75f, true);
    private long captures;
    private long replays;

    GraphCache(int capacity) {
        this.capacity = capacity;
    }

    /** Launches the graph of {@code commands} on {@code stream}, capturing it with {@code enqueue} if new. */
    void launch(List<Command> commands, CUstream_st stream, Consumer<List<Command>> enqueue) {
        CUgraphExec_st exec = graphs.get(commands);
        if (exec == null) {
            exec = capture(commands, stream, enqueue);
            graphs.put(List.copyOf(commands), exec);
            captures++;
            evict();
        } else {
            replays++;
        }
        CudaCheck.runtime(cudart.cudaGraphLaunch(exec, stream), "cudaGraphLaunch");
    }

    private static CUgraphExec_st capture(List<Command> commands, CUstream_st stream, Consumer<List<Command>> enqueue) {
        CudaCheck.runtime(cudart.cudaStreamBeginCapture(stream, cudart.cudaStreamCaptureModeThreadLocal),
                "cudaStreamBeginCapture");
        CUgraph_st graph = new CUgraph_st();
        try {
            enqueue.accept(commands);
        } catch (RuntimeException | Error e) {
            cudart.cudaStreamEndCapture(stream, graph);   // leave capture mode; the stream stays usable
            if (!graph.isNull()) {
                cudart.cudaGraphDestroy(graph);
            }
            throw e;
        }
        CudaCheck.runtime(cudart.cudaStreamEndCapture(stream, graph), "cudaStreamEndCapture");
        CUgraphExec_st exec = new CUgraphExec_st();
        try {
            CudaCheck.runtime(cudart.cudaGraphInstantiate(exec, graph, 0), "cudaGraphInstantiate");
        } finally {
            cudart.cudaGraphDestroy(graph);
        }
        return exec;
    }

    private void evict() {
        Iterator<Map.Entry<List<Command>, CUgraphExec_st>> it = graphs.entrySet().iterator();
        while (graphs.size() > capacity && it.hasNext()) {
            cudart.cudaGraphExecDestroy(it.next().getValue());
            it.remove();
        }
    }

    long captures() {
        return captures;
    }

    long replays() {
        return replays;
    }

    @Override
    public void close() {
        graphs.values().forEach(cudart::cudaGraphExecDestroy);
        graphs.clear();
    }
}
