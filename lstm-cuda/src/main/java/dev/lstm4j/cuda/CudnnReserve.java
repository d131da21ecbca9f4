package dev.lstm4j.cuda;

import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.spi.RnnCallCheck.BatchShape;

import java.util.List;

/**
 * What a cuDNN training forward keeps: cuDNN's reserve space, the weights packed into cuDNN's weight space, a copy
 * of y (cuDNN's backward reads y), copies of h0 and c0 when given, the lengths on the device, and the caller's x
 * (which must stay open).
 */
final class CudnnReserve extends StagedReserve {
    final Tensor x;
    final long weightSpace;
    final long reserveSpace;
    final long reserveBytes;
    final long y;
    final long h0;              // or 0
    final long c0;              // or 0
    final long lengths;         // [B] ints on the device

    CudnnReserve(CudaRnn owner, Parameters params, BatchShape shape, Tensor x, long weightSpace, long reserveSpace,
                 long reserveBytes, long y, long h0, long c0, long lengths, List<DeviceBuffer> owned) {
        super(owner, params, shape, owned);
        this.x = x;
        this.weightSpace = weightSpace;
        this.reserveSpace = reserveSpace;
        this.reserveBytes = reserveBytes;
        this.y = y;
        this.h0 = h0;
        this.c0 = c0;
        this.lengths = lengths;
    }
}
