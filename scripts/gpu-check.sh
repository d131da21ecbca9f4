#!/usr/bin/env bash
# Verifies lstm4j's cuda backend on a machine with an NVIDIA GPU, in one go:
#   1. `lstm info` (which backend is selected, and the CUDA probe's findings);
#   2. the GPU tests (conformance suites on the device, CPU-vs-GPU parity, graph replay);
#   3. benchmark tables on the same GPU: lstm4j cuda against the cuDNN peer (cuDNN's RNN API in its own JVM),
#      lstm4j cuda with graphs off, lstm4j cpu on all cores, and PyTorch's nn.LSTM (cuDNN) when python3 can
#      import torch;
#   4. a summary.
# Runs from the project root, either with a built project (java and lstm-bench/target/lstm.jar; the tests need
# Maven) or with a device bundle (.device/run-on-device.sh from ../shared/device/bundle.sh, no Java needed).
# Settings: OUT (results folder, default ./gpu-check-out), GPU_CHECK_CONFIGS (lstm bench --config list),
# GPU_CHECK_SKIP_TESTS=1, GPU_CHECK_LIMIT (seconds per phase, default 300).
set -u
OUT=${OUT:-$PWD/gpu-check-out}
mkdir -p "$OUT"
CONFIGS=${GPU_CHECK_CONFIGS:-small,medium,large,xl,deepbench}
CPU_CONFIGS=${GPU_CHECK_CPU_CONFIGS:-small,medium,large}
cores=$(nproc 2>/dev/null || echo 1)

# Each phase runs under a time limit (seconds), so that a hang cannot eat a lent GPU's whole time.
LIMIT=${GPU_CHECK_LIMIT:-300}
export JAVA_OPTS="${JAVA_OPTS:-} -Dorg.bytedeco.javacpp.nopointergc=true"
# The cuDNN peer (lstm-peer-cudnn) runs beside lstm4j's cuda backend when its folder is there.
if [ -d lstm-bench/target/peers ]; then
    export LSTM_BENCH_PEERS=${LSTM_BENCH_PEERS:-$PWD/lstm-bench/target/peers}
fi
if [ -f .device/run-on-device.sh ]; then
    lstm() { timeout "$LIMIT" bash .device/run-on-device.sh main dev.lstm4j.bench.cli.LstmTool "$@"; }
    gpu_tests() { timeout "$LIMIT" bash .device/run-on-device.sh tests --include-tag gpu; }
elif [ -f lstm-bench/target/lstm.jar ]; then
    lstm() { timeout "$LIMIT" java ${JAVA_OPTS:-} -jar lstm-bench/target/lstm.jar "$@"; }
    gpu_tests() { timeout "$LIMIT" ./mvnw -B test -pl lstm-cuda -am -Dlstm.test.gpu -Dgroups=gpu \
        -Dsurefire.failIfNoSpecifiedTests=false; }
else
    echo "gpu-check: build first (./mvnw -B package -DskipTests) or bundle (bash ../shared/device/bundle.sh)" >&2
    exit 2
fi

status=0
step() { echo; echo "==== $*"; }

step "lstm info"
lstm info 2>&1 | tee "$OUT/info.txt"

if [ "${GPU_CHECK_SKIP_TESTS:-0}" != 1 ]; then
    step "GPU tests"
    gpu_tests 2>&1 | tee "$OUT/gpu-tests.txt"
    [ "${PIPESTATUS[0]}" = 0 ] || status=1
fi

step "lstm4j cuda (custom kernels, CUDA graphs) against the cuDNN peer"
lstm bench --quick --backend cuda --config "$CONFIGS" --mode inference,train --threads 1 --peers cudnn \
    --json "$OUT/cuda.json" 2>&1 | tee "$OUT/bench-cuda.txt"
[ "${PIPESTATUS[0]}" = 0 ] || status=1

step "lstm4j cuda, CUDA graphs off (every step launched from Java)"
JAVA_OPTS="${JAVA_OPTS:-} -Dlstm.cuda.graphs=false" lstm bench --quick --backend cuda --config small,medium \
    --mode inference,train --threads 1 --no-peers --json "$OUT/cuda-nographs.json" 2>&1 | tee "$OUT/bench-cuda-nographs.txt"

step "lstm4j cpu, $cores threads"
lstm bench --quick --backend cpu --config "$CPU_CONFIGS" --mode inference,train --threads "$cores" --no-peers \
    --json "$OUT/cpu.json" 2>&1 | tee "$OUT/bench-cpu.txt"

step "PyTorch nn.LSTM (cuDNN), FP32 (TF32 off)"
torch_configs=(small:25:16:128:128:1:0 medium:50:32:256:256:1:0 large:100:64:512:512:1:0 xl:100:128:1024:1024:1:0)
for h in 512 1024 2048; do
    for b in 16 64 128; do
        torch_configs+=("deepbench-h$h-b$b:25:$b:$h:$h:1:0")
    done
done
timeout "$LIMIT" "${PYTHON:-python3}" "$(dirname "$0")/torch_lstm_bench.py" --json "$OUT/torch.json" "${torch_configs[@]}" 2>&1 \
    | tee "$OUT/bench-torch.txt"

step "summary"
grep -h "== device tests\|Tests run:.*Fail" "$OUT/gpu-tests.txt" 2>/dev/null | tail -3
grep -h "^parity" "$OUT/gpu-tests.txt" 2>/dev/null
echo "results in $OUT"
exit $status
