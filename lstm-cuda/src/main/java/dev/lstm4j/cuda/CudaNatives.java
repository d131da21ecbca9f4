package dev.lstm4j.cuda;

/**
 * The few native calls the availability probe needs, behind an interface so that every failure path of the
 * probe can be tested on machines without a GPU.
 */
interface CudaNatives {

    /** Loads the CUDA runtime bindings (and with them libcuda.so.1 and libcudart.so.13); throws the linker's error. */
    void loadRuntime();

    /** The newest CUDA version the driver supports, as 1000 * major + 10 * minor (13000 = 13.0). */
    int driverVersion();

    /** Devices visible to this process; throws {@link CudaException} when the driver reports an error. */
    int deviceCount();

    /** E.g. {@code NVIDIA H100 80GB HBM3}. */
    String deviceName(int device);

    /** Compute capability as 10 * major + minor (90 = sm_90). */
    int computeCapability(int device);

    /** Loads the bindings of one of cuBLAS, NVRTC or cuDNN; throws the linker's error. */
    void loadLibrary(CudaLibrary library);
}
