package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.LstmConfig;
import dev.lstm4j.api.spi.Availability;
import dev.lstm4j.api.spi.BackendProvider;

/**
 * Registers the CUDA backend with {@link java.util.ServiceLoader}, above the CPU backend.
 *
 * <p>The probe runs once per process and keeps its first outcome, so a missing library is reported with the
 * linker's own error every time. This build's CUDA backend is incomplete (the probe and the pointwise kernels
 * exist; device tensors, cuBLAS, NVRTC and cuDNN plumbing do not yet), so even where every check passes the
 * provider reports itself unavailable with that reason, and selection falls back to the next backend.
 */
public final class CudaBackendProvider implements BackendProvider {
    static final String NAME = "cuda";
    private static volatile Availability availability;

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
        Availability a = availability;
        if (a == null) {
            synchronized (CudaBackendProvider.class) {
                a = availability;
                if (a == null) {
                    a = decide(new CudaProbe(new JavaCppCudaNatives(), LibraryLocator.system())
                            .probe(deviceIndex()));
                    availability = a;
                }
            }
        }
        return a;
    }

    static Availability decide(CudaProbe.Result result) {
        if (!result.availability().available()) {
            return result.availability();
        }
        return Availability.unavailable("found " + result.availability().detail() + ", but this build's cuda "
                + "backend is incomplete (kernels are compile-checked; device tensors and cuBLAS are not wired yet)",
                null);
    }

    private static int deviceIndex() {
        try {
            return LstmConfig.CUDA_DEVICE.intValue().orElse(0);
        } catch (RuntimeException e) {
            return -1;   // not a number: the probe reports the index as out of range, naming the setting
        }
    }

    @Override
    public Backend create() {
        throw new IllegalStateException("cuda backend unavailable: " + probe().detail(), probe().cause());
    }
}
