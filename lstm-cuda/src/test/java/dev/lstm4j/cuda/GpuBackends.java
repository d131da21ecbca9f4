package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.spi.Availability;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real cuda backend for {@code gpu}-tagged tests, or a skip that gives the probe's reason. */
final class GpuBackends {

    private GpuBackends() {
    }

    static Backend create() {
        requireGpu();
        return new CudaBackendProvider().create();
    }

    /** A backend with explicit options instead of the configured ones. */
    static Backend create(CudaOptions options) {
        requireGpu();
        CudaProbe.Device device = new CudaProbe(new JavaCppCudaNatives(), LibraryLocator.system())
                .probe(0).device().orElseThrow();
        return new CudaBackend(CudaContext.open(device, options));
    }

    private static void requireGpu() {
        Availability a = new CudaBackendProvider().probe();
        assumeTrue(a.available(), () -> "skipped: no usable GPU here: " + a.detail());
    }
}
