package dev.lstm4j.cuda;

import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.Loader;

/** {@link CudaNatives} through JavaCPP's CUDA presets. */
final class JavaCppCudaNatives implements CudaNatives {

    @Override
    public void loadRuntime() {
        Loader.load(cudart.class);
    }

    @Override
    public int driverVersion() {
        int[] version = new int[1];
        CudaCheck.runtime(cudart.cudaDriverGetVersion(version), "cudaDriverGetVersion");
        return version[0];
    }

    @Override
    public int deviceCount() {
        int[] count = new int[1];
        CudaCheck.runtime(cudart.cudaGetDeviceCount(count), "cudaGetDeviceCount");
        return count[0];
    }

    @Override
    public String deviceName(int device) {
        try (cudaDeviceProp prop = new cudaDeviceProp()) {
            CudaCheck.runtime(cudart.cudaGetDeviceProperties(prop, device), "cudaGetDeviceProperties");
            return prop.name().getString().trim();
        }
    }

    @Override
    public int computeCapability(int device) {
        int[] major = new int[1];
        int[] minor = new int[1];
        CudaCheck.runtime(cudart.cudaDeviceGetAttribute(major, cudart.cudaDevAttrComputeCapabilityMajor, device),
                "cudaDeviceGetAttribute(ComputeCapabilityMajor)");
        CudaCheck.runtime(cudart.cudaDeviceGetAttribute(minor, cudart.cudaDevAttrComputeCapabilityMinor, device),
                "cudaDeviceGetAttribute(ComputeCapabilityMinor)");
        return 10 * major[0] + minor[0];
    }

    @Override
    public void loadLibrary(CudaLibrary library) {
        switch (library) {
            case CUBLAS -> Loader.load(cublas.class);
            case NVRTC -> Loader.load(nvrtc.class);
            case CUDNN -> Loader.load(cudnn.class);
            case DRIVER, RUNTIME -> loadRuntime();
        }
    }
}
