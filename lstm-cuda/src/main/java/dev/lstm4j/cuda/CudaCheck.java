package dev.lstm4j.cuda;

import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;

/** The one place CUDA runtime statuses are checked: a failure becomes a {@link CudaException} naming the call. */
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

    private static String text(BytePointer p) {
        return p == null || p.isNull() ? "unknown error" : p.getString();
    }
}
