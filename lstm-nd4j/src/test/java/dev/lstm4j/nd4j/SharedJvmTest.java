package dev.lstm4j.nd4j;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Tensor;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dependency arrangement the module documents: one JVM, one javacpp (lstm4j's 1.5.13), nd4j-native's CPU
 * backend and lstm4j's CPU backend both loaded and both computing the same product.
 */
class SharedJvmTest {
    @Test
    void nd4jNativeAndLstm4jRunTogetherOnLstm4jsJavacpp() throws Exception {
        assertEquals("1.5.13", Loader.getVersion(), "javacpp on the class path");
        assertTrue(Nd4j.getBackend().getClass().getName().startsWith("org.nd4j.linalg.cpu.nativecpu"),
                "ND4J backend " + Nd4j.getBackend().getClass().getName());
        INDArray a = Nd4j.rand(DataType.DOUBLE, 17, 9);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 9, 13);
        INDArray nd4jProduct = a.mmul(b);
        try (Backend cpu = Backends.select("cpu");
             Tensor ta = Nd4jTensors.toTensor(cpu, a);
             Tensor tb = Nd4jTensors.toTensor(cpu, b);
             Tensor tc = cpu.allocate(DType.FLOAT64, 17, 13)) {
            cpu.gemm(false, false, 1, ta, tb, 0, tc);
            INDArray lstm4jProduct = Nd4jTensors.toINDArray(tc);
            assertTrue(nd4jProduct.equalsWithEps(lstm4jProduct, 1e-12), "ND4J and lstm4j products differ");
        }
    }
}
