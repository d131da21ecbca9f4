package dev.lstm4j.api;

/** The outputs of a training forward pass and the reserve its backward needs; the caller closes both. */
public record TrainingForward(RnnOutputs outputs, TrainingReserve reserve) implements AutoCloseable {
    @Override
    public void close() {
        Closeables.closeAll(outputs, reserve);
    }
}
