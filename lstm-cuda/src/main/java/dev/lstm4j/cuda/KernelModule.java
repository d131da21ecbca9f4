package dev.lstm4j.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The lstm4j kernels compiled by NVRTC for one device's own architecture ({@code sm_XY}, so the driver loads
 * machine code and JIT-compiles nothing) and loaded into the device's primary context. Compiled once per device
 * and process: every backend instance on that device shares the module.
 */
final class KernelModule {
    private static final Map<Integer, KernelModule> BY_DEVICE = new HashMap<>();

    private final Map<String, CUfunc_st> functions;
    private final String architecture;

    private KernelModule(Map<String, CUfunc_st> functions, String architecture) {
        this.functions = functions;
        this.architecture = architecture;
    }

    /** The module for {@code device}, compiling it on first use; the device must be current on this thread. */
    static synchronized KernelModule forDevice(int device, int computeCapability) {
        KernelModule m = BY_DEVICE.get(device);
        if (m == null) {
            m = compile(computeCapability);
            BY_DEVICE.put(device, m);
        }
        return m;
    }

    /** E.g. {@code sm_90}. */
    String architecture() {
        return architecture;
    }

    CUfunc_st function(String entryPoint) {
        CUfunc_st f = functions.get(entryPoint);
        if (f == null) {
            throw new IllegalArgumentException("no kernel " + entryPoint + " in " + Kernels.SOURCE);
        }
        return f;
    }

    /** The NVRTC options for a compute capability (10 * major + minor). */
    static List<String> options(int computeCapability) {
        return List.of("--gpu-architecture=sm_" + computeCapability, "--std=c++17");
    }

    private static KernelModule compile(int computeCapability) {
        String source = source();
        byte[] cubin = cubin(source, computeCapability);
        CUmod_st module = new CUmod_st();
        try (BytePointer image = new BytePointer(cubin)) {
            CudaCheck.driver(cudart.cuModuleLoadData(module, image), "cuModuleLoadData(" + Kernels.SOURCE + ")");
        }
        Map<String, CUfunc_st> functions = new HashMap<>();
        for (String entry : Kernels.ENTRY_POINTS) {
            CUfunc_st f = new CUfunc_st();
            CudaCheck.driver(cudart.cuModuleGetFunction(f, module, entry), "cuModuleGetFunction(" + entry + ")");
            functions.put(entry, f);
        }
        return new KernelModule(functions, "sm_" + computeCapability);
    }

    private static byte[] cubin(String source, int computeCapability) {
        _nvrtcProgram program = new _nvrtcProgram();
        CudaCheck.nvrtc(nvrtc.nvrtcCreateProgram(program, new BytePointer(source), new BytePointer(Kernels.SOURCE), 0,
                (PointerPointer<?>) null, (PointerPointer<?>) null), "nvrtcCreateProgram", "");
        try {
            List<String> options = options(computeCapability);
            try (PointerPointer<BytePointer> opts = new PointerPointer<>(options.toArray(String[]::new))) {
                int status = nvrtc.nvrtcCompileProgram(program, options.size(), opts);
                CudaCheck.nvrtc(status, "nvrtcCompileProgram(" + Kernels.SOURCE + ", " + options + ")",
                        status == nvrtc.NVRTC_SUCCESS ? "" : log(program));
            }
            try (SizeTPointer size = new SizeTPointer(1)) {
                CudaCheck.nvrtc(nvrtc.nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize", "");
                byte[] cubin = new byte[(int) size.get()];
                CudaCheck.nvrtc(nvrtc.nvrtcGetCUBIN(program, cubin), "nvrtcGetCUBIN", "");
                return cubin;
            }
        } finally {
            nvrtc.nvrtcDestroyProgram(program);
        }
    }

    private static String log(_nvrtcProgram program) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            if (nvrtc.nvrtcGetProgramLogSize(program, size) != nvrtc.NVRTC_SUCCESS || size.get() <= 1) {
                return "";
            }
            byte[] text = new byte[(int) size.get()];
            nvrtc.nvrtcGetProgramLog(program, text);
            return new String(text, 0, text.length - 1, StandardCharsets.UTF_8);
        }
    }

    static String source() {
        try (InputStream in = KernelModule.class.getResourceAsStream(Kernels.SOURCE)) {
            if (in == null) {
                throw new IllegalStateException(Kernels.SOURCE + " is missing from the lstm-cuda jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
