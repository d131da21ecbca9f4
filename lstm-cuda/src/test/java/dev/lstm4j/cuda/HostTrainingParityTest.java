package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;

/** {@link TrainingParity} on the host interpreter of the cuda backend's commands ({@link HostDevice}). */
class HostTrainingParityTest extends TrainingParity {
    @Override
    protected Backend createBackend() {
        return new CudaBackend(new HostDevice());
    }
}
