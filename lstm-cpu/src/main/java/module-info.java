/** The CPU backend of lstm4j (OpenBLAS through JavaCPP). */
module dev.lstm4j.cpu {
    requires dev.lstm4j.api;
    requires org.bytedeco.javacpp;
    requires org.bytedeco.openblas;

    exports dev.lstm4j.cpu;

    provides dev.lstm4j.api.spi.BackendProvider with dev.lstm4j.cpu.CpuBackendProvider;
}
