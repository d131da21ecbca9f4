package dev.lstm4j.cpu;

import dev.lstm4j.api.AdamUpdate;
import dev.lstm4j.api.SgdUpdate;

/**
 * Adam and SGD on FLOAT32 tensors in float arithmetic, staged a chunk at a time through float arrays. The
 * optimizer runs once per training step over every parameter; the generic path (widen to double, update,
 * narrow back) cost three times the update itself, and a float loop is one the JIT vectorizes. Float
 * arithmetic is also what PyTorch's optimizers and lstm4j's CUDA kernels use on float32 parameters: the
 * hyperparameters are rounded to float once per call, each element's update is the same expression as the
 * kernels'. FLOAT64 keeps HostOps' double path. Arguments are checked by the caller.
 */
final class Float32Optimizers {
    /** Elements per chunk: four float arrays of this size stay in the L2 cache. */
    private static final int CHUNK = 1 << 13;

    private Float32Optimizers() {
    }

    static void adam(NativeBuffer param, NativeBuffer grad, NativeBuffer first, NativeBuffer second, long size,
                     AdamUpdate u) {
        float shrink = (float) (u.decoupled() ? 1 - u.lr() * u.weightDecay() : 1);
        float decay = (float) (u.decoupled() ? 0 : u.weightDecay());
        float beta1 = (float) u.beta1();
        float beta2 = (float) u.beta2();
        float keep1 = (float) (1 - u.beta1());
        float keep2 = (float) (1 - u.beta2());
        float lr = (float) u.lr();
        float c1 = (float) u.biasCorrection1();
        float c2 = (float) u.biasCorrection2();
        float eps = (float) u.eps();
        Staging s = new Staging(size, 4);
        for (long done = 0; done < size; done += s.chunk) {
            int n = s.load(done, param, grad, first, second);
            float[] p = s.arrays[0];
            float[] g = s.arrays[1];
            float[] m = s.arrays[2];
            float[] v = s.arrays[3];
            for (int i = 0; i < n; i++) {
                float pi = p[i] * shrink;
                float gi = g[i] + decay * pi;
                float mi = beta1 * m[i] + keep1 * gi;
                float vi = beta2 * v[i] + keep2 * gi * gi;
                m[i] = mi;
                v[i] = vi;
                p[i] = pi - lr * (mi / c1) / ((float) Math.sqrt(vi / c2) + eps);
            }
            s.store(done, n, param, null, first, second);
        }
    }

    static void sgd(NativeBuffer param, NativeBuffer grad, NativeBuffer velocity, long size, SgdUpdate u) {
        float decay = (float) u.weightDecay();
        float momentum = (float) u.momentum();
        float lr = (float) u.lr();
        boolean nesterov = u.nesterov();   // loop-invariant: the JIT compiles one loop per case
        Staging s = new Staging(size, 3);
        for (long done = 0; done < size; done += s.chunk) {
            int n = s.load(done, param, grad, velocity);
            float[] p = s.arrays[0];
            float[] g = s.arrays[1];
            float[] b = s.arrays[2];
            for (int i = 0; i < n; i++) {
                float gi = g[i] + decay * p[i];
                float bi = momentum * b[i] + gi;
                b[i] = bi;
                p[i] -= lr * (nesterov ? gi + momentum * bi : bi);
            }
            s.store(done, n, param, null, velocity);
        }
    }

    /** One float array per tensor and a pointer view to copy chunks in and out. */
    private static final class Staging {
        final int chunk;
        final float[][] arrays;
        private final long size;
        private final Views.Floats view = new Views.Floats();

        Staging(long size, int tensors) {
            this.size = size;
            chunk = (int) Math.max(1, Math.min(size, CHUNK));
            arrays = new float[tensors][chunk];
        }

        /** Copies the chunk at {@code done} of each buffer into its array; returns the chunk's length. */
        int load(long done, NativeBuffer... buffers) {
            int n = (int) Math.min(chunk, size - done);
            for (int i = 0; i < buffers.length; i++) {
                view.at(buffers[i], done).get(arrays[i], 0, n);
            }
            return n;
        }

        /** Copies the arrays back to the buffers given; a null buffer (an input) is not written. */
        void store(long done, int n, NativeBuffer... buffers) {
            for (int i = 0; i < buffers.length; i++) {
                if (buffers[i] != null) {
                    view.at(buffers[i], done).put(arrays[i], 0, n);
                }
            }
        }
    }
}
