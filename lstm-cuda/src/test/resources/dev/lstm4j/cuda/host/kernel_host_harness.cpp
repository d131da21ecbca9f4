// Runs one pointwise kernel on the CPU over a whole launch grid. Arrays come and go as raw little-endian
// float32 / int32 files in a folder; the Java test writes the inputs and checks the outputs against fp64.
//
//   harness forward  DIR B H t hPrevStride hOutStride keep useLengths useBias useHPrev useCPrev clip
//   harness backward DIR B H t dyStride useLengths useCPrev useDy clip
//   harness dropout  DIR n layer p scale
//   harness gru-forward DIR B H   /   gru-backward DIR B H   (step 0, no lengths)
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
    fprintf(stderr, "bad arguments for %s (%d given)\n", op.c_str(), argc);
    return 2;
}
