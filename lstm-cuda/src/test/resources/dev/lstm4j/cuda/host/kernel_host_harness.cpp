// Runs one pointwise kernel on the CPU over a whole launch grid. Arrays come and go as raw little-endian
// float32 / int32 files in a folder; the Java test writes the inputs and checks the outputs against fp64.
//
//   harness forward  DIR B H t hPrevStride hOutStride keep useLengths useBias useHPrev useCPrev clip
//   harness backward DIR B H t dyStride useLengths useCPrev useDy clip
//   harness dropout  DIR n layer p scale
//   harness peephole-grad DIR T B H reverse clip   /   keep-inactive DIR B W t   /   projection-grad DIR B W t
//   harness adam DIR n lr beta1 beta2 eps weightDecay decoupled correction1 correction2   /   sgd DIR n lr mu wd nesterov
//   harness gru-forward DIR B H   /   gru-backward DIR B H   (step 0, no lengths)
//   harness gather DIR rows width srcRows   /   segment-add DIR segments width srcRows dstRows packedInts
//   harness forward-peep / backward-peep: as forward / backward, with peephole weights from peep.bin
// One translation unit with the kernels, so that they and the launch loop share the shim's index variables.
// Build: g++ -std=c++17 -I <folder of the shim> -I <folder of the kernels> kernel_host_harness.cpp
#include "kernel_host_shim.h"
#include "lstm_pointwise.cu"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

template <typename T>
static std::vector<T> load(const std::string& dir, const char* name, size_t n) {
    std::vector<T> v(n);
    std::string path = dir + "/" + name;
    FILE* f = fopen(path.c_str(), "rb");
    if (!f || fread(v.data(), sizeof(T), n, f) != n) {
        fprintf(stderr, "cannot read %zu values from %s\n", n, path.c_str());
        exit(3);
    }
    fclose(f);
    return v;
}

template <typename T>
static void store(const std::string& dir, const char* name, const std::vector<T>& v) {
    std::string path = dir + "/" + name;
    FILE* f = fopen(path.c_str(), "wb");
    if (!f || fwrite(v.data(), sizeof(T), v.size(), f) != v.size()) {
        fprintf(stderr, "cannot write %s\n", path.c_str());
        exit(3);
    }
    fclose(f);
}

// A launch of gridX x gridY blocks of blockX threads, one thread at a time.
template <typename Kernel>
static void launch(unsigned gridX, unsigned gridY, unsigned blockX, Kernel kernel) {
    blockDim = HostDim3{blockX, 1, 1};
    for (unsigned by = 0; by < gridY; by++) {
        for (unsigned bx = 0; bx < gridX; bx++) {
            for (unsigned tx = 0; tx < blockX; tx++) {
                blockIdx = HostDim3{bx, by, 0};
                threadIdx = HostDim3{tx, 0, 0};
                kernel();
            }
        }
    }
}

int main(int argc, char** argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: harness forward|backward DIR ...\n");
        return 2;
    }
    std::string op = argv[1];
    std::string dir = argv[2];
    const unsigned block = 32;   // smaller than most H, so the grid's edge threads are exercised
    // forward-peep / backward-peep: the same, with peephole weights [3H] from peep.bin.
    bool peepOp = op == "forward-peep" || op == "backward-peep";
    if (peepOp) {
        op = op.substr(0, op.size() - 5);
    }
    if (op == "forward" && argc == 14) {
        int B = atoi(argv[3]), H = atoi(argv[4]), t = atoi(argv[5]);
        int hPrevStride = atoi(argv[6]), hOutStride = atoi(argv[7]), keep = atoi(argv[8]);
        bool useLengths = atoi(argv[9]), useBias = atoi(argv[10]), useHPrev = atoi(argv[11]), useCPrev = atoi(argv[12]);
        float clip = (float) atof(argv[13]);
        auto gates = load<float>(dir, "gates.bin", (size_t) B * 4 * H);
        std::vector<int> lengths = useLengths ? load<int>(dir, "lengths.bin", B) : std::vector<int>();
        std::vector<float> bias = useBias ? load<float>(dir, "bias.bin", 4 * H) : std::vector<float>();
        std::vector<float> hPrev = useHPrev ? load<float>(dir, "hprev.bin", (size_t) B * hPrevStride) : std::vector<float>();
        std::vector<float> cPrev = useCPrev ? load<float>(dir, "cprev.bin", (size_t) B * H) : std::vector<float>();
        std::vector<float> peep = peepOp ? load<float>(dir, "peep.bin", 3 * H) : std::vector<float>();
        std::vector<float> hOut((size_t) B * hOutStride, -7.0f);   // untouched columns must stay -7
        std::vector<float> cOut((size_t) B * H, -7.0f);
        launch((H + block - 1) / block, B, block, [&] {
            lstm_forward_step_f32(B, H, t, useLengths ? lengths.data() : 0, gates.data(), useBias ? bias.data() : 0, 0, peepOp ? peep.data() : 0,
                    useHPrev ? hPrev.data() : 0, hPrevStride, useCPrev ? cPrev.data() : 0, hOut.data(), hOutStride,
                    cOut.data(), keep, clip);
        });
        store(dir, "gates.out", gates);
        store(dir, "hout.out", hOut);
        store(dir, "cout.out", cOut);
        return 0;
    }
    if (op == "backward" && argc == 11) {
        int B = atoi(argv[3]), H = atoi(argv[4]), t = atoi(argv[5]), dyStride = atoi(argv[6]);
        bool useLengths = atoi(argv[7]), useCPrev = atoi(argv[8]), useDy = atoi(argv[9]);
        float clip = (float) atof(argv[10]);
        auto gates = load<float>(dir, "gates.bin", (size_t) B * 4 * H);
        std::vector<int> lengths = useLengths ? load<int>(dir, "lengths.bin", B) : std::vector<int>();
        auto cCur = load<float>(dir, "ccur.bin", (size_t) B * H);
        std::vector<float> cPrev = useCPrev ? load<float>(dir, "cprev.bin", (size_t) B * H) : std::vector<float>();
        auto dh = load<float>(dir, "dh.bin", (size_t) B * H);
        auto dc = load<float>(dir, "dc.bin", (size_t) B * H);
        std::vector<float> dy = useDy ? load<float>(dir, "dy.bin", (size_t) B * dyStride) : std::vector<float>();
        std::vector<float> peep = peepOp ? load<float>(dir, "peep.bin", 3 * H) : std::vector<float>();
        launch((H + block - 1) / block, B, block, [&] {
            lstm_backward_step_f32(B, H, t, useLengths ? lengths.data() : 0, gates.data(), cCur.data(),
                    useCPrev ? cPrev.data() : 0, peepOp ? peep.data() : 0, dh.data(), dc.data(), useDy ? dy.data() : 0, dyStride, clip);
        });
        store(dir, "gates.out", gates);
        store(dir, "dh.out", dh);
        store(dir, "dc.out", dc);
        return 0;
    }
    if (op == "dropout" && argc == 7) {
        long long n = atoll(argv[3]);
        int layer = atoi(argv[4]);
        double p = atof(argv[5]);
        float scale = (float) atof(argv[6]);
        auto seed = load<int>(dir, "seed.bin", 2);
        auto in = load<float>(dir, "in.bin", (size_t) n);
        std::vector<float> out((size_t) n, -7.0f);
        launch((unsigned) ((n + block - 1) / block), 1, block, [&] {
            lstm_dropout_f32(n, seed.data(), layer, p, scale, in.data(), out.data());
        });
        store(dir, "out.bin", out);
        return 0;
    }
    if (op == "gru-forward" && argc == 5) {
        int B = atoi(argv[3]), H = atoi(argv[4]);
        auto gates = load<float>(dir, "gates.bin", (size_t) B * 3 * H);
        auto rec = load<float>(dir, "rec.bin", (size_t) B * 3 * H);
        auto bih = load<float>(dir, "bih.bin", 3 * H);
        auto bhh = load<float>(dir, "bhh.bin", 3 * H);
        auto hPrev = load<float>(dir, "hprev.bin", (size_t) B * H);
        std::vector<float> hOut((size_t) B * H, -7.0f);
        std::vector<float> sOut((size_t) B * H, -7.0f);
        launch((H + block - 1) / block, B, block, [&] {
            gru_forward_step_f32(B, H, 0, 0, gates.data(), rec.data(), bih.data(), bhh.data(), hPrev.data(), H,
                    hOut.data(), H, sOut.data(), 1);
        });
        store(dir, "gates.out", gates);
        store(dir, "hout.out", hOut);
        store(dir, "sout.out", sOut);
        return 0;
    }
    if (op == "gru-backward" && argc == 5) {
        int B = atoi(argv[3]), H = atoi(argv[4]);
        auto gates = load<float>(dir, "gates.bin", (size_t) B * 3 * H);
        auto s = load<float>(dir, "s.bin", (size_t) B * H);
        auto hPrev = load<float>(dir, "hprev.bin", (size_t) B * H);
        auto dh = load<float>(dir, "dh.bin", (size_t) B * H);
        auto dy = load<float>(dir, "dy.bin", (size_t) B * H);
        std::vector<float> hidden((size_t) B * 3 * H, -7.0f);
        launch((H + block - 1) / block, B, block, [&] {
            gru_backward_step_f32(B, H, 0, 0, gates.data(), hidden.data(), s.data(), hPrev.data(), H, 0, 0,
                    dh.data(), dy.data(), H);
        });
        store(dir, "gates.out", gates);
        store(dir, "hidden.out", hidden);
        store(dir, "dh.out", dh);
        return 0;
    }
    if (op == "peephole-grad" && argc == 8) {
        int T = atoi(argv[3]), B = atoi(argv[4]), H = atoi(argv[5]), reverse = atoi(argv[6]);
        float clip = (float) atof(argv[7]);
        auto dA = load<float>(dir, "da.bin", (size_t) T * B * 4 * H);
        auto cells = load<float>(dir, "cells.bin", (size_t) T * B * H);
        auto c0 = load<float>(dir, "c0.bin", (size_t) B * H);
        auto grad = load<float>(dir, "grad.bin", 3 * H);
        launch((3 * H + block - 1) / block, 1, block, [&] {
            lstm_peephole_gradient_f32(T, B, H, reverse, dA.data(), cells.data(), c0.data(), clip, grad.data());
        });
        store(dir, "grad.out", grad);
        return 0;
    }
    if (op == "keep-inactive" && argc == 6) {
        int B = atoi(argv[3]), W = atoi(argv[4]), t = atoi(argv[5]);
        auto lengths = load<int>(dir, "lengths.bin", B);
        auto hPrev = load<float>(dir, "hprev.bin", (size_t) B * W);
        auto out = load<float>(dir, "out.bin", (size_t) B * W);
        launch((B * W + block - 1) / block, 1, block, [&] {
            lstm_keep_inactive_f32(B, W, t, lengths.data(), hPrev.data(), W, out.data(), W);
        });
        store(dir, "out.out", out);
        return 0;
    }
    if (op == "projection-grad" && argc == 6) {
        int B = atoi(argv[3]), W = atoi(argv[4]), t = atoi(argv[5]);
        auto lengths = load<int>(dir, "lengths.bin", B);
        auto dh = load<float>(dir, "dh.bin", (size_t) B * W);
        auto dy = load<float>(dir, "dy.bin", (size_t) B * W);
        std::vector<float> dhAt((size_t) B * W, -7.0f), kept((size_t) B * W, -7.0f);
        launch((B * W + block - 1) / block, 1, block, [&] {
            lstm_projection_grad_f32(B, W, t, lengths.data(), dh.data(), dy.data(), W, dhAt.data(), kept.data());
        });
        store(dir, "dh.out", dh);
        store(dir, "dhat.out", dhAt);
        store(dir, "kept.out", kept);
        return 0;
    }
    if (op == "adam" && argc == 12) {
        long long n = atoll(argv[3]);
        double lr = atof(argv[4]), b1 = atof(argv[5]), b2 = atof(argv[6]), eps = atof(argv[7]), wd = atof(argv[8]);
        int decoupled = atoi(argv[9]);
        double c1 = atof(argv[10]), c2 = atof(argv[11]);
        auto p = load<float>(dir, "p.bin", n);
        auto g = load<float>(dir, "g.bin", n);
        auto m = load<float>(dir, "m.bin", n);
        auto v = load<float>(dir, "v.bin", n);
        launch((unsigned) ((n + block - 1) / block), 1, block, [&] {
            lstm_adam_f32(n, p.data(), g.data(), m.data(), v.data(), lr, b1, b2, eps, wd, decoupled, c1, c2);
        });
        store(dir, "p.out", p);
        store(dir, "m.out", m);
        store(dir, "v.out", v);
        return 0;
    }
    if (op == "sgd" && argc == 8) {
        long long n = atoll(argv[3]);
        double lr = atof(argv[4]), mu = atof(argv[5]), wd = atof(argv[6]);
        int nesterov = atoi(argv[7]);
        auto p = load<float>(dir, "p.bin", n);
        auto g = load<float>(dir, "g.bin", n);
        auto b = load<float>(dir, "b.bin", n);
        launch((unsigned) ((n + block - 1) / block), 1, block, [&] {
            lstm_sgd_f32(n, p.data(), g.data(), b.data(), lr, mu, wd, nesterov);
        });
        store(dir, "p.out", p);
        store(dir, "b.out", b);
        return 0;
    }
    if (op == "gather" && argc == 6) {
        long long rows = atoll(argv[3]), width = atoll(argv[4]), srcRows = atoll(argv[5]);
        auto index = load<int>(dir, "index.bin", rows);
        auto src = load<float>(dir, "src.bin", srcRows * width);
        std::vector<float> dst(rows * width, -7.0f);
        launch((unsigned) ((rows * width + block - 1) / block), 1, block, [&] {
            lstm_gather_rows_f32(rows, width, index.data(), src.data(), dst.data());
        });
        store(dir, "dst.out", dst);
        return 0;
    }
    if (op == "segment-add" && argc == 8) {
        long long segments = atoll(argv[3]), width = atoll(argv[4]), srcRows = atoll(argv[5]);
        long long dstRows = atoll(argv[6]), packedInts = atoll(argv[7]);
        auto packed = load<int>(dir, "packed.bin", packedInts);
        auto src = load<float>(dir, "src.bin", srcRows * width);
        auto dst = load<float>(dir, "dst.bin", dstRows * width);
        const int* starts = packed.data();
        const int* dest = starts + segments + 1;
        const int* order = dest + segments;
        launch((unsigned) ((segments * width + block - 1) / block), 1, block, [&] {
            lstm_segment_add_rows_f32(segments, width, starts, dest, order, src.data(), dst.data());
        });
        store(dir, "dst.out", dst);
        return 0;
    }
    fprintf(stderr, "bad arguments for %s (%d given)\n", op.c_str(), argc);
    return 2;
}
