package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.LstmConfig;
import dev.lstm4j.api.spi.Availability;
import dev.lstm4j.api.spi.BackendProvider;

/**
 * Registers the CUDA backend with {@link java.util.ServiceLoader}, above the CPU backend, so that a machine with a
 * usable GPU selects it automatically.
 *
 * <p>The probe runs once per process and keeps its first outcome, so a missing library is reported with the
 * linker's own error every time instead of a later "Could not initialize class".
 */
public final class CudaBackendProvider implements BackendProvider {
    static final String NAME = "cuda";
    private static volatile CudaProbe.Result result;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public Availability probe() {
        return result().availability();
    }

    private static CudaProbe.Result result() {
        CudaProbe.Result r = result;
        if (r == null) {
            synchronized (CudaBackendProvider.class) {
                r = result;
                if (r == null) {
                    r = new CudaProbe(new JavaCppCudaNatives(), LibraryLocator.system()).probe(deviceIndex());
                    result = r;
                }
            }
        }
        return r;
    }

    private static int deviceIndex() {
        try {
            return LstmConfig.CUDA_DEVICE.intValue().orElse(0);
        } catch (RuntimeException e) {
            return -1;   // not a number: the probe reports the index as out of range, naming the setting
        }
    }

    /**
     * A backend on the probed device, with the options of {@code lstm.cuda.math} and {@code lstm.cuda.graphs}.
     *
     * @throws IllegalStateException with the probe's reason when no usable GPU is present
     */
    @Override
    public Backend create() {
        CudaProbe.Result r = result();
        if (r.device().isEmpty()) {
            throw new IllegalStateException("cuda backend unavailable: " + r.availability().detail(),
                    r.availability().cause());
        }
        return new CudaBackend(CudaContext.open(r.device().get(), CudaOptions.fromConfig()));
    }
}
