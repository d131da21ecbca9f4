/** The CUDA backend of lstm4j (JavaCPP's CUDA presets over the system's CUDA 13 libraries). */
module dev.lstm4j.cuda {
    requires dev.lstm4j.api;
    requires org.bytedeco.javacpp;
    requires org.bytedeco.cuda;

    exports dev.lstm4j.cuda;

    provides dev.lstm4j.api.spi.BackendProvider with dev.lstm4j.cuda.CudaBackendProvider;
}
