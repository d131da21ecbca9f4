package dev.lstm4j.cuda;

/** A CUDA, cuBLAS, NVRTC or cuDNN call that returned an error status; the message names the call and the error. */
public final class CudaException extends RuntimeException {
    private final int status;

    CudaException(String call, int status, String errorName, String errorText) {
        super(call + " failed: " + errorName + " (" + status + "): " + errorText);
        this.status = status;
    }

    /** Wraps {@code cause} with what the backend was doing, keeping its status. */
    CudaException(String doing, CudaException cause) {
        super(doing + ": " + cause.getMessage(), cause);
        this.status = cause.status;
    }

    /** The raw status code the call returned. */
    public int status() {
        return status;
    }
}
