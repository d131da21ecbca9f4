package dev.lstm4j.nd4j;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Nd4jTensorsTest {
    private static Backend cpu;

    @BeforeAll
    static void backend() {
        cpu = Backends.select("cpu");
    }

    @AfterAll
    static void close() {
        assertEquals(0, cpu.liveBytes(), "a conversion left a tensor open");
        cpu.close();
    }

    /** [2, 3, 4] with element [a, b, c] = 100a + 10b + c, so any mix-up of axes shows. */
    private static INDArray numbered(DataType type, char order) {
        INDArray a = Nd4j.create(type, new long[] {2, 3, 4}, order);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    a.putScalar(new long[] {i, j, k}, 100 * i + 10 * j + k);
                }
            }
        }
        return a;
    }

    private static double[] numberedRowMajor() {
        double[] v = new double[24];
        for (int i = 0; i < 24; i++) {
            v[i] = 100 * (i / 12) + 10 * (i / 4 % 3) + i % 4;
        }
        return v;
    }

    @Test
    void anyOrderAndDtypeBecomesARowMajorTensorOfTheMatchingDType() {
        for (char order : new char[] {'c', 'f'}) {
            try (Tensor f = Nd4jTensors.toTensor(cpu, numbered(DataType.FLOAT, order));
                 Tensor d = Nd4jTensors.toTensor(cpu, numbered(DataType.DOUBLE, order))) {
                assertEquals(DType.FLOAT32, f.dtype());
                assertEquals(DType.FLOAT64, d.dtype());
                assertArrayEquals(new long[] {2, 3, 4}, f.shape());
                assertArrayEquals(numberedRowMajor(), f.toDoubleArray(), "order " + order);
                assertArrayEquals(numberedRowMajor(), d.toDoubleArray(), "order " + order);
            }
        }
    }

    @Test
    void viewsAndPermutedArraysAreReadInLogicalOrder() {
        INDArray a = numbered(DataType.FLOAT, 'c');
        INDArray slice = a.get(NDArrayIndex.point(1), NDArrayIndex.interval(1, 3), NDArrayIndex.all());   // [2, 4]
        try (Tensor t = Nd4jTensors.toTensor(cpu, slice)) {
            assertArrayEquals(new double[] {110, 111, 112, 113, 120, 121, 122, 123}, t.toDoubleArray());
        }
        INDArray permuted = a.permute(2, 0, 1);   // [4, 2, 3], same buffer
        try (Tensor t = Nd4jTensors.toTensor(cpu, permuted)) {
            assertArrayEquals(new long[] {4, 2, 3}, t.shape());
            double[] v = t.toDoubleArray();
            assertEquals(123, v[3 * 6 + 1 * 3 + 2]);   // [k=3, i=1, j=2]
            assertEquals(12, v[2 * 6 + 0 * 3 + 1]);    // [k=2, i=0, j=1]
        }
    }

    @Test
    void conversionToAnotherDTypeAndBackRoundTrips() {
        try (Tensor t = Nd4jTensors.toTensor(cpu, numbered(DataType.FLOAT, 'f'), DType.FLOAT64)) {
            assertEquals(DType.FLOAT64, t.dtype());
            INDArray back = Nd4jTensors.toINDArray(t);
            assertEquals(DataType.DOUBLE, back.dataType());
            assertEquals(numbered(DataType.DOUBLE, 'c'), back);
        }
        try (Tensor empty = cpu.allocate(DType.FLOAT32, 0, 3)) {
            INDArray back = Nd4jTensors.toINDArray(empty);
            assertArrayEquals(new long[] {0, 3}, back.shape());
        }
    }

    @Test
    void otherElementTypesAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nd4jTensors.toTensor(cpu, Nd4j.create(DataType.INT, 2, 2)));
        assertTrue(e.getMessage().contains("INT") && e.getMessage().contains("castTo"), e.getMessage());
    }

    @Test
    void ncwAndNwcSequencesBecomeTimeMajorAndBack() {
        INDArray ncw = numbered(DataType.FLOAT, 'f');   // [B=2, F=3, T=4]
        try (Tensor tbf = Nd4jTensors.sequenceToTensor(cpu, ncw, RnnFormat.NCW)) {
            assertArrayEquals(new long[] {4, 2, 3}, tbf.shape());
            assertEquals(123, tbf.toDoubleArray()[3 * 6 + 1 * 3 + 2]);   // [t=3, b=1, f=2] = ncw[1, 2, 3]
            assertEquals(ncw, Nd4jTensors.sequenceFromTensor(tbf, RnnFormat.NCW));
        }
        INDArray nwc = numbered(DataType.DOUBLE, 'c');   // [B=2, T=3, F=4]
        try (Tensor tbf = Nd4jTensors.sequenceToTensor(cpu, nwc, RnnFormat.NWC, DType.FLOAT32)) {
            assertArrayEquals(new long[] {3, 2, 4}, tbf.shape());
            assertEquals(121, tbf.toDoubleArray()[2 * 8 + 1 * 4 + 1]);   // [t=2, b=1, f=1] = nwc[1, 2, 1]
            assertEquals(nwc.castTo(DataType.FLOAT), Nd4jTensors.sequenceFromTensor(tbf, RnnFormat.NWC));
        }
        assertThrows(IllegalArgumentException.class,
                () -> Nd4jTensors.sequenceToTensor(cpu, Nd4j.create(DataType.FLOAT, 2, 3), RnnFormat.NCW));
    }

    @Test
    void prefixMasksBecomeLengthsAndBack() {
        int[] lengths = {3, 0, 1, 5};
        INDArray mask = Nd4jTensors.maskFromLengths(lengths, 5, DataType.FLOAT);
        assertArrayEquals(new long[] {4, 5}, mask.shape());
        assertEquals(9.0, mask.sumNumber().doubleValue());
        assertArrayEquals(lengths, Nd4jTensors.lengthsFromMask(mask));
        assertArrayEquals(lengths, Nd4jTensors.lengthsFromMask(mask.dup('f')));
    }

    @Test
    void masksThatAreNotPrefixesOrNotBinaryAreRefused() {
        INDArray gap = Nd4j.create(new float[] {1, 0, 1, 0}, new long[] {1, 4}, 'c');
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nd4jTensors.lengthsFromMask(gap));
        assertTrue(e.getMessage().contains("row 0") && e.getMessage().contains("step 2"), e.getMessage());
        INDArray half = Nd4j.create(new float[] {1, 0.5f}, new long[] {1, 2}, 'c');
        assertThrows(IllegalArgumentException.class, () -> Nd4jTensors.lengthsFromMask(half));
        assertThrows(IllegalArgumentException.class, () -> Nd4jTensors.maskFromLengths(new int[] {6}, 5,
                DataType.FLOAT));
    }
}
