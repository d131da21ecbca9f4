package dev.lstm4j.cuda;

/**
 * The system libraries the CUDA backend binds at run time (JavaCPP's presets ship only the JNI glue), with what
 * to do when one is missing.
 */
enum CudaLibrary {
    DRIVER("libcuda.so.1", "the NVIDIA driver: install it on the host, and start containers with --gpus all "
            + "(NVIDIA Container Toolkit)"),
    RUNTIME("libcudart.so.13", "the CUDA 13 runtime: install a CUDA 13 toolkit, or NVIDIA's pip wheel "
            + "nvidia-cuda-runtime-cu13, and put its lib folder on LD_LIBRARY_PATH"),
    CUBLAS("libcublas.so.13", "cuBLAS for CUDA 13: a CUDA 13 toolkit, or the pip wheel nvidia-cublas-cu13, "
            + "its lib folder on LD_LIBRARY_PATH"),
    NVRTC("libnvrtc.so.13", "NVRTC for CUDA 13: a CUDA 13 toolkit, or the pip wheel nvidia-cuda-nvrtc-cu13, "
            + "its lib folder on LD_LIBRARY_PATH"),
    CUDNN("libcudnn.so.9", "cuDNN 9 for CUDA 13: NVIDIA's cuDNN packages (libcudnn9-cuda-13), or the pip wheel "
            + "nvidia-cudnn-cu13, its lib folder on LD_LIBRARY_PATH");

    private final String fileName;
    private final String remedy;

    CudaLibrary(String fileName, String remedy) {
        this.fileName = fileName;
        this.remedy = remedy;
    }

    String fileName() {
        return fileName;
    }

    /** What provides the library and how to make it visible. */
    String remedy() {
        return remedy;
    }
}
