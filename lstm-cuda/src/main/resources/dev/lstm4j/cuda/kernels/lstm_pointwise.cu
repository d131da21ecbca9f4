// Fused pointwise kernels of the LSTM time loop, float32. Compiled at run time by NVRTC for the device's own
// compute capability (no headers: NVRTC provides the math functions), and by nvcc -ptx in the build's tests.
//
// Layout: one layer and direction, one time step. Gate pre-activations G[b, k*H + j] for gate k in (i, f, g, o),
// b < B, j < H, as the per-step GEMM h_{t-1} W_hh^T (+ the hoisted x_t W_ih^T) leaves them. One thread per (b, j).
//
// Forward:   i = s(a_i + b_i)  f = s(a_f + b_f)  g = tanh(a_g + b_g)  o = s(a_o + b_o)
//            c_t = f * c_{t-1} + i * g          h_t = o * tanh(c_t)
// Backward:  dh = dh_next + dy_t                dc = dc_next + dh * o * (1 - tanh^2 c_t)
//            dA_i = dc * g * i(1-i)  dA_f = dc * c_{t-1} * f(1-f)  dA_g = dc * i * (1-g^2)  dA_o = dh * tanh(c_t) * o(1-o)
//            dc_prev = dc * f        (dh_prev = dA W_hh comes from the caller's GEMM)
// Cell clip (clip > 0): c_t is clamped to [-clip, clip] before h_t uses it, and backward stops the gradient at
// clamped units (dc = 0 there), as cuDNN's clip does. clip = 0 turns it off.
// Rows whose sequence has ended (t >= lengths[b]) keep their state, repeat h_{t-1} as output (the caller masks
// padded outputs) and get zero gate gradients; their carried gradients pass through unchanged.

__device__ __forceinline__ float lstm_sigmoid(float x) {
    return 1.0f / (1.0f + expf(-x));
}

__device__ __forceinline__ bool lstm_active(const int* lengths, int b, int t) {
    return lengths == 0 || t < lengths[b];
}

extern "C" __global__ void lstm_forward_step(
        int batch, int hidden, int t,
        const int* __restrict__ lengths,      // [B] or null: every row has all T steps
        float* __restrict__ gates,            // [B, 4H] pre-activations without bias; activations out when keep != 0
        const float* __restrict__ bias,       // [4H] b_ih + b_hh, or null
        const float* __restrict__ hPrev,      // h_{t-1}: row b at hPrev + b * hPrevStride, or null for zeros
        int hPrevStride,
        const float* __restrict__ cPrev,      // [B, H] c_{t-1}, or null for zeros
        float* __restrict__ hOut,             // h_t: row b at hOut + b * hOutStride (a slice of y)
        int hOutStride,
        float* __restrict__ cOut,             // [B, H] c_t (may not alias cPrev)
        int keep,
        float clip) {
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    int b = blockIdx.y;
    if (j >= hidden || b >= batch) {
        return;
    }
    float* row = gates + (size_t) b * 4 * hidden;
    float cp = cPrev != 0 ? cPrev[(size_t) b * hidden + j] : 0.0f;
    if (!lstm_active(lengths, b, t)) {
        cOut[(size_t) b * hidden + j] = cp;
        hOut[(size_t) b * hOutStride + j] = hPrev != 0 ? hPrev[(size_t) b * hPrevStride + j] : 0.0f;
        if (keep) {
            row[j] = 0.0f;
            row[hidden + j] = 0.0f;
            row[2 * hidden + j] = 0.0f;
            row[3 * hidden + j] = 0.0f;
        }
        return;
    }
    float ai = row[j];
    float af = row[hidden + j];
    float ag = row[2 * hidden + j];
    float ao = row[3 * hidden + j];
    if (bias != 0) {
        ai += bias[j];
        af += bias[hidden + j];
        ag += bias[2 * hidden + j];
        ao += bias[3 * hidden + j];
    }
    float i = lstm_sigmoid(ai);
    float f = lstm_sigmoid(af);
    float g = tanhf(ag);
    float o = lstm_sigmoid(ao);
    float c = f * cp + i * g;
    if (clip > 0.0f) {
        c = fminf(clip, fmaxf(-clip, c));
    }
    cOut[(size_t) b * hidden + j] = c;
    hOut[(size_t) b * hOutStride + j] = o * tanhf(c);
    if (keep) {
        row[j] = i;
        row[hidden + j] = f;
        row[2 * hidden + j] = g;
        row[3 * hidden + j] = o;
    }
}

extern "C" __global__ void lstm_backward_step(
        int batch, int hidden, int t,
        const int* __restrict__ lengths,      // [B] or null
        float* __restrict__ gates,            // [B, 4H] activations of step t in; gate gradients dA out
        const float* __restrict__ cCur,       // [B, H] c_t
        const float* __restrict__ cPrev,      // [B, H] c_{t-1}, or null for zeros
        float* __restrict__ dh,               // [B, H] carried dh: read; zeroed on active rows for the caller's GEMM
        float* __restrict__ dc,               // [B, H] carried dc: becomes dc_{t-1}
        const float* __restrict__ dy,         // dy_t: row b at dy + b * dyStride, or null
        int dyStride,
        float clip) {
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    int b = blockIdx.y;
    if (j >= hidden || b >= batch) {
        return;
    }
    float* row = gates + (size_t) b * 4 * hidden;
    size_t s = (size_t) b * hidden + j;
    if (!lstm_active(lengths, b, t)) {
        row[j] = 0.0f;
        row[hidden + j] = 0.0f;
        row[2 * hidden + j] = 0.0f;
        row[3 * hidden + j] = 0.0f;
        return;
    }
    float i = row[j];
    float f = row[hidden + j];
    float g = row[2 * hidden + j];
    float o = row[3 * hidden + j];
    float c = cCur[s];
    float cp = cPrev != 0 ? cPrev[s] : 0.0f;
    float tc = tanhf(c);
    float h = dh[s] + (dy != 0 ? dy[(size_t) b * dyStride + j] : 0.0f);
    float d = dc[s] + h * o * (1.0f - tc * tc);
    if (clip > 0.0f && fabsf(c) >= clip) {
        d = 0.0f;
    }
    row[j] = d * g * i * (1.0f - i);
    row[hidden + j] = d * cp * f * (1.0f - f);
    row[2 * hidden + j] = d * i * (1.0f - g * g);
    row[3 * hidden + j] = h * tc * o * (1.0f - o);
    dc[s] = d * f;
    dh[s] = 0.0f;
}

// Bias gradient: db[k] += sum over rows r < rows of dA[r, k], for the 4H columns of all T*B gate-gradient rows.
// Consecutive threads read consecutive columns, so every row is read coalesced.
extern "C" __global__ void lstm_bias_gradient(
        int rows, int columns,
        const float* __restrict__ dA,         // [rows, columns]
        float* __restrict__ db) {             // [columns], accumulated into
    int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= columns) {
        return;
    }
    float sum = 0.0f;
    for (int r = 0; r < rows; r++) {
        sum += dA[(size_t) r * columns + k];
    }
    db[k] += sum;
}
