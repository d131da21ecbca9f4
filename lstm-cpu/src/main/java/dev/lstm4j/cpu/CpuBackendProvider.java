package dev.lstm4j.cpu;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.LstmConfig;
import dev.lstm4j.api.spi.Availability;
import dev.lstm4j.api.spi.BackendProvider;

/** Registers the CPU backend with {@link java.util.ServiceLoader}. */
public final class CpuBackendProvider implements BackendProvider {
    static final String NAME = "cpu";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability probe() {
        return OpenBlas.probe();
    }

    @Override
    public Backend create() {
        OpenBlas.require();
        LstmConfig.CPU_THREADS.intValue().ifPresent(OpenBlas::setThreads);
        return new CpuBackend();
    }
}
