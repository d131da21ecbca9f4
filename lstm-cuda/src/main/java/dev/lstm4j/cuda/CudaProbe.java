package dev.lstm4j.cuda;

import dev.lstm4j.api.spi.Availability;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides whether the CUDA backend can run here and, when not, says why in terms a user can act on: no driver
 * (or a container without {@code --gpus}), a driver too old for CUDA 13, no visible device, a device index out
 * of range, or a missing cuBLAS / NVRTC / cuDNN, naming the library, where it was looked for and what provides
 * it. Never throws; the first native error is kept as the cause.
 */
final class CudaProbe {
    /** CUDA 13.0, as drivers report versions. The presets are built for 13.1 but use no 13.1-only API. */
    static final int REQUIRED_DRIVER_VERSION = 13000;

    private final CudaNatives natives;
    private final LibraryLocator locator;

    CudaProbe(CudaNatives natives, LibraryLocator locator) {
        this.natives = natives;
        this.locator = locator;
    }

    /** What the probe found: the device on success. */
    record Result(Availability availability, Optional<Device> device) {
    }

    /** The chosen GPU. */
    record Device(int index, String name, int computeCapability, int driverVersion) {
        String describe() {
            return String.format(Locale.ROOT, "device %d: %s (sm_%d), driver supports CUDA %s", index, name,
                    computeCapability, CudaProbe.version(driverVersion));
        }
    }

    Result probe(int deviceIndex) {
        if (locator.find(CudaLibrary.DRIVER.fileName()).isEmpty()) {
            Throwable cause = attempt(natives::loadRuntime);
            return unavailable(missing(CudaLibrary.DRIVER), cause);
        }
        Throwable loadError = attempt(natives::loadRuntime);
        if (loadError != null) {
            return unavailable(explainLoadFailure(loadError, CudaLibrary.RUNTIME), loadError);
        }
        int driver;
        int count;
        try {
            driver = natives.driverVersion();
            if (driver < REQUIRED_DRIVER_VERSION) {
                return unavailable("the NVIDIA driver supports CUDA " + version(driver) + " but lstm4j needs CUDA "
                        + version(REQUIRED_DRIVER_VERSION) + " or newer: update the driver (580 or later)", null);
            }
            count = natives.deviceCount();
        } catch (CudaException e) {
            return unavailable("no usable CUDA device: " + e.getMessage() + visibleDevices(), e);
        }
        if (count == 0) {
            return unavailable("the driver sees no CUDA device" + visibleDevices(), null);
        }
        if (deviceIndex < 0 || deviceIndex >= count) {
            return unavailable("lstm.cuda.device / LSTM_CUDA_DEVICE is " + deviceIndex + " but only " + count
                    + " device(s) are visible (indices 0.." + (count - 1) + ")" + visibleDevices(), null);
        }
        Device device;
        try {
            device = new Device(deviceIndex, natives.deviceName(deviceIndex), natives.computeCapability(deviceIndex),
                    driver);
        } catch (CudaException e) {
            return unavailable("cannot query CUDA device " + deviceIndex + ": " + e.getMessage(), e);
        }
        for (CudaLibrary library : new CudaLibrary[] {CudaLibrary.CUBLAS, CudaLibrary.NVRTC, CudaLibrary.CUDNN}) {
            Throwable error = attempt(() -> natives.loadLibrary(library));
            if (error != null) {
                return unavailable(explainLoadFailure(error, library) + "; " + device.describe(), error);
            }
        }
        return new Result(Availability.available(device.describe()), Optional.of(device));
    }

    private static Result unavailable(String reason, Throwable cause) {
        return new Result(Availability.unavailable(reason, cause), Optional.empty());
    }

    /** Names the library the linker could not find, when its message says which; else the error itself. */
    private String explainLoadFailure(Throwable error, CudaLibrary expected) {
        String text = String.valueOf(error.getMessage());
        for (CudaLibrary library : CudaLibrary.values()) {
            if (text.contains(library.fileName())) {
                return missing(library);
            }
        }
        return "the " + expected.fileName() + " bindings could not be loaded (" + error + "); "
                + expected.remedy();
    }

    private String missing(CudaLibrary library) {
        String where = locator.folders().stream().map(Path::toString).collect(Collectors.joining(", "));
        return library.fileName() + " not found (looked in LD_LIBRARY_PATH, /etc/ld.so.conf and " + where + "); "
                + "it comes with " + library.remedy();
    }

    private static String visibleDevices() {
        String visible = System.getenv("CUDA_VISIBLE_DEVICES");
        return visible == null ? "" : " (CUDA_VISIBLE_DEVICES=" + visible + ")";
    }

    /** 13000 -> "13.0". */
    static String version(int v) {
        return (v / 1000) + "." + (v % 1000) / 10;
    }

    private static Throwable attempt(Runnable call) {
        try {
            call.run();
            return null;
        } catch (Throwable t) {  // UnsatisfiedLinkError, NoClassDefFoundError, CudaException: keep as the cause
            return t;
        }
    }
}
