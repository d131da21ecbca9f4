// Fused pointwise kernels of the LSTM time loop and the few data-movement kernels around it, in float32 (suffix
// _f32) and float64 (_f64) from one template each. Compiled at run time by NVRTC for the device's own compute
// capability (no headers: NVRTC provides the math functions), and by nvcc -ptx in the build's tests.
//
// Layout: one layer and direction, one time step. Gate pre-activations G[b, k*H + j] for gate k in (i, f, g, o),
// b < B, j < H, as the per-step GEMM h_{t-1} W_hh^T (+ the hoisted x_t W_ih^T) leaves them. One thread per (b, j).
//
// Forward:   (b = b_ih + b_hh)
//            i = s(a_i + b_i)  f = s(a_f + b_f)  g = tanh(a_g + b_g)  o = s(a_o + b_o)
//            c_t = f * c_{t-1} + i * g          h_t = o * tanh(c_t)
// Peephole LSTM (peep != null): a_i += p_i * c_{t-1}, a_f += p_f * c_{t-1}, a_o += p_o * c_t (states as read);
// backward adds dA_o * p_o to dc and dA_i * p_i + dA_f * p_f to dc_prev.
// Backward:  dh = dh_next + dy_t                dc = dc_next + dh * o * (1 - tanh^2 c_t)
//            dA_i = dc * g * i(1-i)  dA_f = dc * c_{t-1} * f(1-f)  dA_g = dc * i * (1-g^2)  dA_o = dh * tanh(c_t) * o(1-o)
//            dc_prev = dc * f        (dh_prev = dA W_hh comes from the caller's GEMM)
// Cell clip (clip > 0), as cuDNN's CUDNN_RNN_CLIP_MINMAX behaves (measured on an H100): the cell state is stored
// as computed, c_t = f * k(c_{t-1}) + i * g, and clamped wherever it is read, k(c) = min(max(c, -clip), clip):
// h_t = o * tanh(k(c_t)) and the next step's k(c_t). So c0 enters clamped and the final state cn is reported as
// computed. Backward: k passes the gradient where -clip <= c <= clip and stops it outside. clip = 0 turns it off.
// Rows whose sequence has ended (t >= lengths[b]) keep their state, repeat h_{t-1} as output (the caller masks
// padded outputs) and get zero gate gradients; their carried gradients pass through unchanged.

__device__ __forceinline__ float lstm_exp(float x) { return expf(x); }
__device__ __forceinline__ double lstm_exp(double x) { return exp(x); }
__device__ __forceinline__ float lstm_tanh(float x) { return tanhf(x); }
__device__ __forceinline__ double lstm_tanh(double x) { return tanh(x); }
__device__ __forceinline__ float lstm_abs(float x) { return fabsf(x); }
__device__ __forceinline__ float lstm_sqrt(float x) { return sqrtf(x); }
__device__ __forceinline__ double lstm_sqrt(double x) { return sqrt(x); }
__device__ __forceinline__ double lstm_abs(double x) { return fabs(x); }

template <typename R>
__device__ __forceinline__ R lstm_sigmoid(R x) {
    return R(1) / (R(1) + lstm_exp(-x));
}

template <typename R>
__device__ __forceinline__ R lstm_clamp(R x, R clip) {
    return x > clip ? clip : (x < -clip ? -clip : x);
}

__device__ __forceinline__ bool lstm_active(const int* lengths, int b, int t) {
    return lengths == 0 || t < lengths[b];
}

template <typename R>
__device__ __forceinline__ void lstm_forward_step(
        int batch, int hidden, int t,
        const int* __restrict__ lengths,      // [B] or null: every row has all T steps
        R* __restrict__ gates,                // [B, 4H] pre-activations without bias; activations out when keep != 0
        const R* __restrict__ biasIh,         // [4H] b_ih, or null
        const R* __restrict__ biasHh,         // [4H] b_hh, or null
        const R* __restrict__ peep,           // [3H] peephole weights p_i, p_f, p_o, or null (plain LSTM)
        const R* __restrict__ hPrev,          // h_{t-1}: row b at hPrev + b * hPrevStride, or null for zeros
        int hPrevStride,
        const R* __restrict__ cPrev,          // [B, H] c_{t-1}, or null for zeros
        R* __restrict__ hOut,                 // h_t: row b at hOut + b * hOutStride (a slice of y)
        int hOutStride,
        R* __restrict__ cOut,                 // [B, H] c_t (may not alias cPrev)
        int keep,
        R clip) {
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    int b = blockIdx.y;
    if (j >= hidden || b >= batch) {
        return;
    }
    R* row = gates + (size_t) b * 4 * hidden;
    R stored = cPrev != 0 ? cPrev[(size_t) b * hidden + j] : R(0);
    R cp = clip > R(0) ? lstm_clamp(stored, clip) : stored;
    if (!lstm_active(lengths, b, t)) {
        cOut[(size_t) b * hidden + j] = stored;
        hOut[(size_t) b * hOutStride + j] = hPrev != 0 ? hPrev[(size_t) b * hPrevStride + j] : R(0);
        if (keep) {
            row[j] = R(0);
            row[hidden + j] = R(0);
            row[2 * hidden + j] = R(0);
            row[3 * hidden + j] = R(0);
        }
        return;
    }
    R ai = row[j];
    R af = row[hidden + j];
    R ag = row[2 * hidden + j];
    R ao = row[3 * hidden + j];
    if (biasIh != 0) {
        ai += biasIh[j];
        af += biasIh[hidden + j];
        ag += biasIh[2 * hidden + j];
        ao += biasIh[3 * hidden + j];
    }
    if (biasHh != 0) {
        ai += biasHh[j];
        af += biasHh[hidden + j];
        ag += biasHh[2 * hidden + j];
        ao += biasHh[3 * hidden + j];
    }
    if (peep != 0) {
        ai += peep[j] * cp;
        af += peep[hidden + j] * cp;
    }
    R i = lstm_sigmoid(ai);
    R f = lstm_sigmoid(af);
    R g = lstm_tanh(ag);
    R c = f * cp + i * g;
    R cRead = clip > R(0) ? lstm_clamp(c, clip) : c;
    if (peep != 0) {
        ao += peep[2 * hidden + j] * cRead;
    }
    R o = lstm_sigmoid(ao);
    cOut[(size_t) b * hidden + j] = c;
    hOut[(size_t) b * hOutStride + j] = o * lstm_tanh(cRead);
    if (keep) {
        row[j] = i;
        row[hidden + j] = f;
        row[2 * hidden + j] = g;
        row[3 * hidden + j] = o;
    }
}

template <typename R>
__device__ __forceinline__ void lstm_backward_step(
        int batch, int hidden, int t,
        const int* __restrict__ lengths,      // [B] or null
        R* __restrict__ gates,                // [B, 4H] activations of step t in; gate gradients dA out
        const R* __restrict__ cCur,           // [B, H] c_t
        const R* __restrict__ cPrev,          // [B, H] c_{t-1}, or null for zeros
        const R* __restrict__ peep,           // [3H] peephole weights p_i, p_f, p_o, or null
        R* __restrict__ dh,                   // [B, H] carried dh: read; zeroed on active rows for the caller's GEMM
        R* __restrict__ dc,                   // [B, H] carried dc: becomes dc_{t-1}
        const R* __restrict__ dy,             // dy_t: row b at dy + b * dyStride, or null
        int dyStride,
        R clip) {
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    int b = blockIdx.y;
    if (j >= hidden || b >= batch) {
        return;
    }
    R* row = gates + (size_t) b * 4 * hidden;
    size_t s = (size_t) b * hidden + j;
    if (!lstm_active(lengths, b, t)) {
        row[j] = R(0);
        row[hidden + j] = R(0);
        row[2 * hidden + j] = R(0);
        row[3 * hidden + j] = R(0);
        return;
    }
    R i = row[j];
    R f = row[hidden + j];
    R g = row[2 * hidden + j];
    R o = row[3 * hidden + j];
    R c = cCur[s];
    R stored = cPrev != 0 ? cPrev[s] : R(0);
    bool inside = clip <= R(0) || lstm_abs(c) <= clip;            // k passes the gradient at c_t
    bool prevInside = clip <= R(0) || lstm_abs(stored) <= clip;   // ... and at c_{t-1}
    R cp = prevInside ? stored : lstm_clamp(stored, clip);
    R tc = lstm_tanh(inside ? c : lstm_clamp(c, clip));
    R h = dh[s] + (dy != 0 ? dy[(size_t) b * dyStride + j] : R(0));
    R daO = h * tc * o * (R(1) - o);
    R d = dc[s] + (inside ? h * o * (R(1) - tc * tc) + (peep != 0 ? daO * peep[2 * hidden + j] : R(0)) : R(0));
    R daI = d * g * i * (R(1) - i);
    R daF = d * cp * f * (R(1) - f);
    row[j] = daI;
    row[hidden + j] = daF;
    row[2 * hidden + j] = d * i * (R(1) - g * g);
    row[3 * hidden + j] = daO;
    R carried = d * f + (peep != 0 ? daI * peep[j] + daF * peep[hidden + j] : R(0));
    dc[s] = prevInside ? carried : R(0);
    dh[s] = R(0);
}

// out[j, i, k] = in[i, j, k] for in of shape [rows, cols, width]: batch-first <-> time-major. One thread per
// element of a 1-D grid.
template <typename R>
__device__ __forceinline__ void lstm_swap_leading(long long rows, long long cols, long long width,
                                                  const R* __restrict__ in, R* __restrict__ out) {
    long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= rows * cols * width) {
        return;
    }
    long long k = e % width;
    long long j = (e / width) % cols;
    long long i = e / (width * cols);
    out[(j * rows + i) * width + k] = in[e];
}

// The GRU step of PyTorch's nn.GRU, gate rows r, z, n; ax = W_ih x and ah = W_hh h_{t-1}, both without bias:
//   r = s(ax_r + b_ir + ah_r + b_hr)   z = s(ax_z + b_iz + ah_z + b_hz)   s = ah_n + b_hn
//   n = tanh(ax_n + b_in + r * s)      h_t = (1 - z) * n + z * h_{t-1}
// Backward, dh the gradient at h_t (carried plus dy):
//   da_n = dh (1 - z)(1 - n^2)   da_r = da_n s r(1 - r)   da_z = dh (h_{t-1} - n) z(1 - z)
//   input side [da_r, da_z, da_n], hidden side [da_r, da_z, da_n r]; dh_{t-1} = dh z + (hidden side) W_hh (the
//   caller's GEMM). Rows whose sequence has ended keep their state and get zero gradients, as for the LSTM.
template <typename R>
__device__ __forceinline__ void gru_forward_step(
        int batch, int hidden, int t,
        const int* __restrict__ lengths,      // [B] or null
        R* __restrict__ gates,                // [B, 3H] ax in; activations r, z, n out when keep != 0
        const R* __restrict__ recurrent,      // [B, 3H] ah
        const R* __restrict__ biasIh,         // [3H] or null
        const R* __restrict__ biasHh,         // [3H] or null
        const R* __restrict__ hPrev,          // h_{t-1}: row b at hPrev + b * hPrevStride, or null for zeros
        int hPrevStride,
        R* __restrict__ hOut,                 // h_t: row b at hOut + b * hOutStride
        int hOutStride,
        R* __restrict__ sOut,                 // [B, H] s = ah_n + b_hn, or null
        int keep) {
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    int b = blockIdx.y;
    if (j >= hidden || b >= batch) {
        return;
    }
    R* row = gates + (size_t) b * 3 * hidden;
    const R* rec = recurrent + (size_t) b * 3 * hidden;
    R hp = hPrev != 0 ? hPrev[(size_t) b * hPrevStride + j] : R(0);
    if (!lstm_active(lengths, b, t)) {
        hOut[(size_t) b * hOutStride + j] = hp;
        if (keep) {
            row[j] = R(0);
            row[hidden + j] = R(0);
            row[2 * hidden + j] = R(0);
        }
        if (sOut != 0) {
            sOut[(size_t) b * hidden + j] = R(0);
        }
        return;
    }
    R xr = row[j] + rec[j];
    R xz = row[hidden + j] + rec[hidden + j];
    R s = rec[2 * hidden + j];
    R xn = row[2 * hidden + j];
    if (biasIh != 0) {
        xr += biasIh[j];
        xz += biasIh[hidden + j];
        xn += biasIh[2 * hidden + j];
    }
    if (biasHh != 0) {
        xr += biasHh[j];
        xz += biasHh[hidden + j];
        s += biasHh[2 * hidden + j];
    }
    R r = lstm_sigmoid(xr);
    R z = lstm_sigmoid(xz);
    R n = lstm_tanh(xn + r * s);
    hOut[(size_t) b * hOutStride + j] = n + z * (hp - n);
    if (keep) {
        row[j] = r;
        row[hidden + j] = z;
        row[2 * hidden + j] = n;
    }
    if (sOut != 0) {
        sOut[(size_t) b * hidden + j] = s;
    }
}

template <typename R>
__device__ __forceinline__ void gru_backward_step(
        int batch, int hidden, int t,
        const int* __restrict__ lengths,      // [B] or null
        R* __restrict__ gates,                // [B, 3H] activations r, z, n in; input-side gradients out
        R* __restrict__ hiddenGrads,          // [B, 3H] hidden-side gradients out
        const R* __restrict__ sIn,            // [B, H] s of step t
        const R* __restrict__ hPrev,          // h_{t-1}: row b at hPrev + b * hPrevStride, or null for zeros
        int hPrevStride,
        const R* __restrict__ h0,             // [B, H] h0 or null: h_{t-1} of a reverse sequence's first step
        int reverse,
        R* __restrict__ dh,                   // [B, H] carried dh: read; dh * z out on active rows
        const R* __restrict__ dy,             // dy_t: row b at dy + b * dyStride, or null
        int dyStride) {
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    int b = blockIdx.y;
    if (j >= hidden || b >= batch) {
        return;
    }
    R* row = gates + (size_t) b * 3 * hidden;
    R* hrow = hiddenGrads + (size_t) b * 3 * hidden;
    if (!lstm_active(lengths, b, t)) {
        row[j] = R(0);
        row[hidden + j] = R(0);
        row[2 * hidden + j] = R(0);
        hrow[j] = R(0);
        hrow[hidden + j] = R(0);
        hrow[2 * hidden + j] = R(0);
        return;
    }
    size_t at = (size_t) b * hidden + j;
    // The layer output past a sequence's length was zeroed: a reverse sequence's first step reads h0 itself.
    bool first = reverse && lengths != 0 && t == lengths[b] - 1;
    R hp = first ? (h0 != 0 ? h0[at] : R(0)) : (hPrev != 0 ? hPrev[(size_t) b * hPrevStride + j] : R(0));
    R r = row[j];
    R z = row[hidden + j];
    R n = row[2 * hidden + j];
    R d = dh[at] + (dy != 0 ? dy[(size_t) b * dyStride + j] : R(0));
    R dN = d * (R(1) - z) * (R(1) - n * n);
    R dR = dN * sIn[at] * r * (R(1) - r);
    R dZ = d * (hp - n) * z * (R(1) - z);
    row[j] = dR;
    row[hidden + j] = dZ;
    row[2 * hidden + j] = dN;
    hrow[j] = dR;
    hrow[hidden + j] = dZ;
    hrow[2 * hidden + j] = dN * r;
    dh[at] = d * z;
}

// Projection (LSTMP): rows whose sequence is not running at step t keep their h: out[b, :] = hPrev[b, :] (zeros
// without hPrev), over the projected h of P features, which the cell kernel cannot copy (an h0 has no o*tanh(c)).
template <typename R>
__device__ __forceinline__ void lstm_keep_inactive(int batch, int width, int t, const int* __restrict__ lengths,
                                                   const R* __restrict__ hPrev, int hPrevStride, R* __restrict__ out,
                                                   int outStride) {
    int e = blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= batch * width) {
        return;
    }
    int b = e / width;
    int j = e % width;
    if (!lstm_active(lengths, b, t)) {
        out[(size_t) b * outStride + j] = hPrev != 0 ? hPrev[(size_t) b * hPrevStride + j] : R(0);
    }
}

// Projection backward, one step: the gradient at h_t is the carried dh plus dy_t on running rows; it goes to dhAt
// (what W_hr takes back to the cell) and, zero on rows not running, to kept (for dW_hr). Running rows' carried dh
// is then zeroed: the caller's GEMM makes dh_{t-1} from the gate gradients alone; other rows pass theirs on.
template <typename R>
__device__ __forceinline__ void lstm_projection_grad(int batch, int width, int t, const int* __restrict__ lengths,
                                                     R* __restrict__ dh, const R* __restrict__ dy, int dyStride,
                                                     R* __restrict__ dhAt, R* __restrict__ kept) {
    int e = blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= batch * width) {
        return;
    }
    int b = e / width;
    int j = e % width;
    bool active = lstm_active(lengths, b, t);
    R v = dh[e] + (active && dy != 0 ? dy[(size_t) b * dyStride + j] : R(0));
    dhAt[e] = v;
    kept[e] = active ? v : R(0);
    if (active) {
        dh[e] = R(0);
    }
}

// out = in^T for a row-major in [rows, cols]: the per-step GEMM runs faster on W_hh^T [H, 4H] than on W_hh read
// transposed by cuBLAS (4x at H = 128, B = 16 on an H200). 32 x 32 tiles through shared memory, so that reads and
// writes are both coalesced; one block of 256 threads per tile (8 rows of 32), grid (ceil(cols/32), ceil(rows/32)).
template <typename R>
__device__ __forceinline__ void lstm_transpose(int rows, int cols, const R* __restrict__ in, R* __restrict__ out) {
    __shared__ R tile[32][33];   // one column of padding: no shared-memory bank conflicts on the transposed read
    int tx = threadIdx.x % 32;
    int ty = threadIdx.x / 32;
    int col0 = blockIdx.x * 32;
    int row0 = blockIdx.y * 32;
    for (int k = ty; k < 32; k += 8) {
        int r = row0 + k;
        int c = col0 + tx;
        if (r < rows && c < cols) {
            tile[k][tx] = in[(size_t) r * cols + c];
        }
    }
    __syncthreads();
    for (int k = ty; k < 32; k += 8) {
        int r = col0 + k;   // row of out = column of in
        int c = row0 + tx;
        if (r < cols && c < rows) {
            out[(size_t) r * rows + c] = tile[tx][k];
        }
    }
}

// C[i, j] += sum_p A[i, p] * B[p, j] for row-major A (row stride lda), B [k, n] (row stride ldb), C (row stride
// ldc): the per-step recurrent GEMMs at small H, where cuBLAS's kernels cost 7 us (h W_hh^T) and 56 us (dA W_hh)
// per step at B = 16, H = 128 on an H200. One block of 256 threads per 32 columns of one row i: 8 slices of the
// inner dimension, each lane reading a coalesced row segment of B, reduced in shared memory in a fixed order, so
// results are reproducible bit for bit. Grid (ceil(n/32), m).
template <typename R>
__device__ __forceinline__ void lstm_gemm_accumulate(int n, int k, const R* __restrict__ a, int lda,
                                                     const R* __restrict__ b, int ldb, R* __restrict__ c, int ldc) {
    __shared__ R partial[8][33];
    int lane = threadIdx.x % 32;
    int slice = threadIdx.x / 32;
    int j = blockIdx.x * 32 + lane;
    const R* row = a + (size_t) blockIdx.y * lda;
    R sum = R(0);
    if (j < n) {
        for (int p = slice; p < k; p += 8) {
            sum += row[p] * b[(size_t) p * ldb + j];
        }
    }
    partial[slice][lane] = sum;
    __syncthreads();
    if (slice == 0 && j < n) {
        R total = partial[0][lane];
        for (int s = 1; s < 8; s++) {
            total += partial[s][lane];
        }
        c[(size_t) blockIdx.y * ldc + j] += total;
    }
}

// Zeroes every y[t, b, :] of a time-major [T, B, width] sequence with t >= lengths[b] (the padding).
template <typename R>
__device__ __forceinline__ void lstm_zero_padding(long long seqLen, long long batch, long long width,
                                                  const int* __restrict__ lengths, R* __restrict__ y) {
    long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= seqLen * batch * width) {
        return;
    }
    long long b = (e / width) % batch;
    long long t = e / (width * batch);
    if (t >= lengths[b]) {
        y[e] = R(0);
    }
}

// dst[b, :] = src[(lengths[b] - 1) * B + b, :] for a time-major [T, B, width] src: the rows of each sequence's
// last step (the first one the reverse direction processes).
template <typename R>
__device__ __forceinline__ void lstm_gather_last(long long batch, long long width, const int* __restrict__ lengths,
                                                 const R* __restrict__ src, R* __restrict__ dst) {
    long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= batch * width) {
        return;
    }
    long long b = e / width;
    dst[e] = src[((long long) (lengths[b] - 1) * batch + b) * width + e % width];
}

// Dropout between layers, the mask of lstm4j's DropoutMask bit for bit: SplitMix64's finaliser keyed by
// (seed, layer), counted by element; element e of layer `layer`'s output is kept when its uniform draw u in
// [0, 1) satisfies u >= p, and scaled by `scale` = 1 / (1 - p). The seed is read from device memory (two 32-bit
// words, low first), so that a captured graph replays with each step's own seed. in may equal out; the same
// call carries a gradient back.
__device__ __forceinline__ unsigned long long lstm_mix(unsigned long long z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

template <typename R>
__device__ __forceinline__ void lstm_dropout(long long n, const int* __restrict__ seedWords, int layer, double p,
                                             R scale, const R* in, R* out) {
    long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= n) {
        return;
    }
    unsigned long long seed = ((unsigned long long) (unsigned int) seedWords[1] << 32)
            | (unsigned long long) (unsigned int) seedWords[0];
    unsigned long long key = lstm_mix(seed ^ (0xC2B2AE3D27D4EB4FULL * (unsigned long long) (layer + 1)));
    unsigned long long z = lstm_mix(key + 0x9E3779B97F4A7C15ULL * (unsigned long long) (e + 1));
    double u = (double) (z >> 11) * 1.1102230246251565e-16;   // 2^-53
    out[e] = u >= p ? in[e] * scale : R(0);
}

// Peephole weight gradients of one direction: grad[q*H + j] += sum over t, b of dA_q[t, b, j] * c_read, with
// q = i, f reading the state at the step's start (c_{t-1}; c0 or zero before the first step) and q = o reading
// c_t, clamped when clip > 0. Rows past a sequence's length have dA = 0; the state the reverse direction's
// shorter sequences start from is the c0 their ended steps kept. One thread per (q, j), looping over t and b.
template <typename R>
__device__ __forceinline__ void lstm_peephole_gradient(int seqLen, int batch, int hidden, int reverse,
                                                       const R* __restrict__ dA, const R* __restrict__ cells,
                                                       const R* __restrict__ c0, R clip, R* __restrict__ grad) {
    int idx = blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= 3 * hidden) {
        return;
    }
    int q = idx / hidden;
    int j = idx % hidden;
    int column = (q == 2 ? 3 : q) * hidden + j;
    R sum = R(0);
    for (int t = 0; t < seqLen; t++) {
        int before = reverse ? t + 1 : t - 1;
        for (int b = 0; b < batch; b++) {
            R c;
            if (q == 2) {
                c = cells[((size_t) t * batch + b) * hidden + j];
            } else if (before >= 0 && before < seqLen) {
                c = cells[((size_t) before * batch + b) * hidden + j];
            } else {
                c = c0 != 0 ? c0[(size_t) b * hidden + j] : R(0);
            }
            if (clip > R(0)) {
                c = lstm_clamp(c, clip);
            }
            sum += dA[((size_t) t * batch + b) * 4 * hidden + column] * c;
        }
    }
    grad[idx] += sum;
}

// Training operations, element-wise over n elements (1-D grid), the formulas of PyTorch's torch.optim (see
// dev.lstm4j.api.AdamUpdate and SgdUpdate). Scalars come in double and are applied in the tensor's precision.
template <typename R>
__device__ __forceinline__ void lstm_axpy(long long n, double alpha, const R* __restrict__ x, R* __restrict__ y) {
    long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e < n) {
        y[e] += (R) alpha * x[e];
    }
}

template <typename R>
__device__ __forceinline__ void lstm_scale(long long n, double alpha, R* __restrict__ x) {
    long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e < n) {
        x[e] *= (R) alpha;
    }
}

// partial[tid] = sum of x[i]^2 in double over i = tid, tid + threads, ...: the host adds the partials, so the
// result is the same on every run (no atomics).
template <typename R>
__device__ __forceinline__ void lstm_sum_squares(long long n, const R* __restrict__ x, double* __restrict__ partial,
                                                 int threads) {
    int tid = blockIdx.x * blockDim.x + threadIdx.x;
    if (tid >= threads) {
        return;
    }
    double sum = 0.0;
    for (long long i = tid; i < n; i += threads) {
        double v = (double) x[i];
        sum += v * v;
    }
    partial[tid] = sum;
}

template <typename R>
__device__ __forceinline__ void lstm_adam(long long n, R* __restrict__ p, const R* __restrict__ g, R* __restrict__ m,
                                          R* __restrict__ v, double lr, double beta1, double beta2, double eps,
                                          double weightDecay, int decoupled, double correction1, double correction2) {
    long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= n) {
        return;
    }
    R grad = g[e];
    R param = p[e];
    if (decoupled) {
        param *= (R) (1.0 - lr * weightDecay);
    } else {
        grad += (R) weightDecay * param;
    }
    R mm = (R) beta1 * m[e] + (R) (1.0 - beta1) * grad;
    R vv = (R) beta2 * v[e] + (R) (1.0 - beta2) * grad * grad;
    m[e] = mm;
    v[e] = vv;
    p[e] = param - (R) lr * (mm / (R) correction1) / (lstm_sqrt(vv / (R) correction2) + (R) eps);
}

template <typename R>
__device__ __forceinline__ void lstm_sgd(long long n, R* __restrict__ p, const R* __restrict__ g, R* __restrict__ b,
                                         double lr, double momentum, double weightDecay, int nesterov) {
    long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= n) {
        return;
    }
    R grad = g[e] + (R) weightDecay * p[e];
    R buf = (R) momentum * b[e] + grad;
    b[e] = buf;
    p[e] -= (R) lr * (nesterov ? grad + (R) momentum * buf : buf);
}

// dst[i, k] = src[index[i], k] for i < rows, k < width (an embedding lookup): one thread per element.
template <typename R>
__device__ __forceinline__ void lstm_gather_rows(long long rows, long long width, const int* __restrict__ index,
                                                 const R* __restrict__ src, R* __restrict__ dst) {
    long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= rows * width) {
        return;
    }
    long long i = e / width;
    dst[e] = src[(long long) index[i] * width + (e - i * width)];
}

// Scatter-add grouped by destination row (an embedding's gradient), so that no two threads write one element
// and every element's additions come in a fixed order: segment s adds source rows order[starts[s]] ..
// order[starts[s + 1] - 1], ascending, one after the other into destination row dest[s]. That is the order and
// the arithmetic of one axpy per source row, so the result does not depend on the grouping. One thread per
// (segment, column).
template <typename R>
__device__ __forceinline__ void lstm_segment_add_rows(long long segments, long long width,
                                                      const int* __restrict__ starts, const int* __restrict__ dest,
                                                      const int* __restrict__ order, const R* __restrict__ src,
                                                      R* __restrict__ dst) {
    long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= segments * width) {
        return;
    }
    long long s = e / width;
    long long k = e - s * width;
    R* out = dst + (long long) dest[s] * width + k;
    R sum = *out;
    for (int j = starts[s]; j < starts[s + 1]; j++) {
        sum += src[(long long) order[j] * width + k];
    }
    *out = sum;
}

// out[e] = value for e < n.
// Softmax cross-entropy, one thread per row: rowLoss[r] = logsumexp(x_r) - x_r[t_r] and
// grad_r = (softmax(x_r) - onehot(t_r)) * scale, in double; a row whose target is negative (padding) gets zero
// loss and gradient. The host sums rowLoss in row order, so the loss is the same on every run.
template <typename R>
__device__ __forceinline__ void lstm_softmax_xent(long long rows, int cols, const int* __restrict__ targets,
                                                  const R* __restrict__ logits, R* __restrict__ grad,
                                                  double* __restrict__ rowLoss, double scale) {
    long long r = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= rows) {
        return;
    }
    const R* x = logits + r * cols;
    R* d = grad + r * cols;
    int t = targets[r];
    if (t < 0) {
        for (int k = 0; k < cols; k++) {
            d[k] = (R) 0;
        }
        rowLoss[r] = 0.0;
        return;
    }
    double mx = -INFINITY;
    for (int k = 0; k < cols; k++) {
        mx = fmax(mx, (double) x[k]);
    }
    double sum = 0.0;
    for (int k = 0; k < cols; k++) {
        sum += exp((double) x[k] - mx);
    }
    rowLoss[r] = log(sum) + mx - (double) x[t];
    for (int k = 0; k < cols; k++) {
        d[k] = (R) ((exp((double) x[k] - mx) / sum - (k == t ? 1.0 : 0.0)) * scale);
    }
}

template <typename R>
__device__ __forceinline__ void lstm_fill(long long n, R value, R* __restrict__ out) {
    long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e < n) {
        out[e] = value;
    }
}

// Unmangled entry points, one per kernel and precision, for NVRTC's and the driver's lookup by name.
#define LSTM_ENTRIES(R, S)                                                                                          \
extern "C" __global__ void lstm_forward_step_##S(int batch, int hidden, int t, const int* lengths, R* gates,        \
        const R* biasIh, const R* biasHh, const R* peep, const R* hPrev, int hPrevStride, const R* cPrev, R* hOut,  \
        int hOutStride, R* cOut, int keep, R clip) {                                                                \
    lstm_forward_step<R>(batch, hidden, t, lengths, gates, biasIh, biasHh, peep, hPrev, hPrevStride, cPrev, hOut,   \
            hOutStride, cOut, keep, clip);                                                                          \
}                                                                                                                   \
extern "C" __global__ void lstm_backward_step_##S(int batch, int hidden, int t, const int* lengths, R* gates,       \
        const R* cCur, const R* cPrev, const R* peep, R* dh, R* dc, const R* dy, int dyStride, R clip) {           \
    lstm_backward_step<R>(batch, hidden, t, lengths, gates, cCur, cPrev, peep, dh, dc, dy, dyStride, clip);        \
}                                                                                                                   \
extern "C" __global__ void gru_forward_step_##S(int batch, int hidden, int t, const int* lengths, R* gates,          \
        const R* recurrent, const R* biasIh, const R* biasHh, const R* hPrev, int hPrevStride, R* hOut,             \
        int hOutStride, R* sOut, int keep) {                                                                        \
    gru_forward_step<R>(batch, hidden, t, lengths, gates, recurrent, biasIh, biasHh, hPrev, hPrevStride, hOut,      \
            hOutStride, sOut, keep);                                                                                \
}                                                                                                                   \
extern "C" __global__ void gru_backward_step_##S(int batch, int hidden, int t, const int* lengths, R* gates,         \
        R* hiddenGrads, const R* sIn, const R* hPrev, int hPrevStride, const R* h0, int reverse, R* dh,             \
        const R* dy, int dyStride) {                                                                                \
    gru_backward_step<R>(batch, hidden, t, lengths, gates, hiddenGrads, sIn, hPrev, hPrevStride, h0, reverse, dh,   \
            dy, dyStride);                                                                                          \
}                                                                                                                   \
extern "C" __global__ void lstm_keep_inactive_##S(int batch, int width, int t, const int* lengths, const R* hPrev,  \
        int hPrevStride, R* out, int outStride) {                                                                   \
    lstm_keep_inactive<R>(batch, width, t, lengths, hPrev, hPrevStride, out, outStride);                           \
}                                                                                                                   \
extern "C" __global__ void lstm_projection_grad_##S(int batch, int width, int t, const int* lengths, R* dh,          \
        const R* dy, int dyStride, R* dhAt, R* kept) {                                                              \
    lstm_projection_grad<R>(batch, width, t, lengths, dh, dy, dyStride, dhAt, kept);                                \
}                                                                                                                   \
extern "C" __global__ void lstm_peephole_gradient_##S(int seqLen, int batch, int hidden, int reverse, const R* dA,  \
        const R* cells, const R* c0, R clip, R* grad) {                                                             \
    lstm_peephole_gradient<R>(seqLen, batch, hidden, reverse, dA, cells, c0, clip, grad);                           \
}                                                                                                                   \
extern "C" __global__ void lstm_swap_leading_##S(long long rows, long long cols, long long width, const R* in,     \
        R* out) {                                                                                                   \
    lstm_swap_leading<R>(rows, cols, width, in, out);                                                               \
}                                                                                                                   \
extern "C" __global__ void lstm_transpose_##S(int rows, int cols, const R* in, R* out) {                         \
    lstm_transpose<R>(rows, cols, in, out);                                                                         \
}                                                                                                                   \
extern "C" __global__ void lstm_gemm_accumulate_##S(int n, int k, const R* a, int lda, const R* b, int ldb, R* c, \
        int ldc) {                                                                                                  \
    lstm_gemm_accumulate<R>(n, k, a, lda, b, ldb, c, ldc);                                                          \
}                                                                                                                   \
extern "C" __global__ void lstm_zero_padding_##S(long long seqLen, long long batch, long long width,               \
        const int* lengths, R* y) {                                                                                 \
    lstm_zero_padding<R>(seqLen, batch, width, lengths, y);                                                         \
}                                                                                                                   \
extern "C" __global__ void lstm_gather_last_##S(long long batch, long long width, const int* lengths, const R* src, \
        R* dst) {                                                                                                   \
    lstm_gather_last<R>(batch, width, lengths, src, dst);                                                           \
}                                                                                                                   \
extern "C" __global__ void lstm_dropout_##S(long long n, const int* seedWords, int layer, double p, R scale,      \
        const R* in, R* out) {                                                                                      \
    lstm_dropout<R>(n, seedWords, layer, p, scale, in, out);                                                        \
}                                                                                                                   \
extern "C" __global__ void lstm_axpy_##S(long long n, double alpha, const R* x, R* y) {                            \
    lstm_axpy<R>(n, alpha, x, y);                                                                                   \
}                                                                                                                   \
extern "C" __global__ void lstm_scale_##S(long long n, double alpha, R* x) {                                        \
    lstm_scale<R>(n, alpha, x);                                                                                     \
}                                                                                                                   \
extern "C" __global__ void lstm_sum_squares_##S(long long n, const R* x, double* partial, int threads) {            \
    lstm_sum_squares<R>(n, x, partial, threads);                                                                    \
}                                                                                                                   \
extern "C" __global__ void lstm_adam_##S(long long n, R* p, const R* g, R* m, R* v, double lr, double beta1,         \
        double beta2, double eps, double weightDecay, int decoupled, double correction1, double correction2) {     \
    lstm_adam<R>(n, p, g, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, correction1, correction2);           \
}                                                                                                                   \
extern "C" __global__ void lstm_sgd_##S(long long n, R* p, const R* g, R* b, double lr, double momentum,            \
        double weightDecay, int nesterov) {                                                                         \
    lstm_sgd<R>(n, p, g, b, lr, momentum, weightDecay, nesterov);                                                   \
}                                                                                                                   \
extern "C" __global__ void lstm_softmax_xent_##S(long long rows, int cols, const int* targets, const R* logits,     \
        R* grad, double* rowLoss, double scale) {                                                                  \
    lstm_softmax_xent<R>(rows, cols, targets, logits, grad, rowLoss, scale);                                         \
}                                                                                                                   \
extern "C" __global__ void lstm_gather_rows_##S(long long rows, long long width, const int* index, const R* src,     \
        R* dst) {                                                                                                   \
    lstm_gather_rows<R>(rows, width, index, src, dst);                                                              \
}                                                                                                                   \
extern "C" __global__ void lstm_segment_add_rows_##S(long long segments, long long width, const int* starts,        \
        const int* dest, const int* order, const R* src, R* dst) {                                                 \
    lstm_segment_add_rows<R>(segments, width, starts, dest, order, src, dst);                                       \
}                                                                                                                   \
extern "C" __global__ void lstm_fill_##S(long long n, R value, R* out) {                                            \
    lstm_fill<R>(n, value, out);                                                                                    \
}

LSTM_ENTRIES(float, f32)
LSTM_ENTRIES(double, f64)
