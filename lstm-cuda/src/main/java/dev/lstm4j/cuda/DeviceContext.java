package dev.lstm4j.cuda;

import java.util.List;
import java.util.Map;

/**
 * What the CUDA backend needs from a GPU: raw device memory, copies to and from Java arrays, and one stream that
 * runs {@link Command} lists in order. {@link CudaContext} is the real one; tests also run the backend's planning
 * on a host interpreter of the same commands.
 *
 * <p>Copies from and to Java arrays return when the data has arrived, and are ordered after all work submitted
 * before them. Not thread-safe: the backend serialises calls.
 */
interface DeviceContext extends AutoCloseable {

    /** One line: device, driver, options. */
    String description();

    /** How this context computes. */
    CudaOptions options();

    /** Facts for {@code lstm info} and provenance records. */
    Map<String, String> properties();

    /** A new block of {@code bytes} device bytes; throws {@link CudaException} when the device is out of memory. */
    long malloc(long bytes);

    /** Frees a block from {@link #malloc}, once all submitted work is done with it. */
    void free(long address);

    void write(long dst, float[] src, int offset, int length);

    void write(long dst, double[] src, int offset, int length);

    void write(long dst, int[] src, int offset, int length);

    void read(long src, float[] dst, int offset, int length);

    void read(long src, double[] dst, int offset, int length);

    /**
     * Queues {@code commands} on the stream. With {@code replayable} the context may capture the list into a
     * graph on first sight and replay it when an equal list comes again; the list must then contain only
     * commands whose effect is fully described by their values (all of them are).
     */
    void run(List<Command> commands, boolean replayable);

    /** Waits until everything submitted has finished. */
    void synchronize();

    /** Releases the stream and library handles; every block must have been freed. */
    @Override
    void close();
}
