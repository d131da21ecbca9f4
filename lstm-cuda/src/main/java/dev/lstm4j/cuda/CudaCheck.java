package dev.lstm4j.cuda;

import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The one place CUDA runtime, driver, cuBLAS, cuDNN and NVRTC statuses are checked: a failure becomes a
 * {@link CudaException} naming the call and the library's own error name and text.
 */
final class CudaCheck {

    private CudaCheck() {
    }

    /** Throws unless {@code status} is {@code cudaSuccess}. */
    static void runtime(int status, String call) {
        if (status != cudart.cudaSuccess) {
            throw new CudaException(call, status, text(cudart.cudaGetErrorName(status)),
                    text(cudart.cudaGetErrorString(status)));
        }
    }

    /** Throws unless the driver API's {@code status} is {@code CUDA_SUCCESS}. */
    static void driver(int status, String call) {
        if (status != cudart.CUDA_SUCCESS) {
            throw new CudaException(call, status, driverText(status, true), driverText(status, false));
        }
    }

    /** Throws unless {@code status} is {@code CUBLAS_STATUS_SUCCESS}. */
    static void cublas(int status, String call) {
        if (status != cublas.CUBLAS_STATUS_SUCCESS) {
            throw new CudaException(call, status, text(cublas.cublasGetStatusName(status)),
                    text(cublas.cublasGetStatusString(status)));
        }
    }

    /** Throws unless {@code status} is {@code CUDNN_STATUS_SUCCESS}. */
    static void cudnn(int status, String call) {
        if (status != cudnn.CUDNN_STATUS_SUCCESS) {
            String text = text(cudnn.cudnnGetErrorString(status));
            throw new CudaException(call, status, text, text);
        }
    }

    /** Throws unless {@code status} is {@code NVRTC_SUCCESS}; {@code log} (the compiler's output) may be empty. */
    static void nvrtc(int status, String call, String log) {
        if (status != nvrtc.NVRTC_SUCCESS) {
            String name = text(nvrtc.nvrtcGetErrorString(status));
            throw new CudaException(call, status, name, log.isBlank() ? name : "compiler log:\n" + log);
        }
    }

    private static String driverText(int status, boolean name) {
        try (PointerPointer<BytePointer> out = new PointerPointer<>(1)) {
            int rc = name ? cudart.cuGetErrorName(status, out) : cudart.cuGetErrorString(status, out);
            BytePointer p = out.get(BytePointer.class, 0);
            return rc != cudart.CUDA_SUCCESS ? "unknown error" : text(p);
        }
    }

    private static String text(BytePointer p) {
        return p == null || p.isNull() ? "unknown error" : p.getString();
    }
}
