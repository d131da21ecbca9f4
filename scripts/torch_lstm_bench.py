#!/usr/bin/env python3
"""Times PyTorch's nn.LSTM (cuDNN on a GPU) on lstm4j's benchmark configurations, for side-by-side tables.

Usage: torch_lstm_bench.py [--device cuda] [--tf32] [--json FILE] NAME:T:B:I:H:LAYERS:BIDIR ...
Prints one line per configuration and mode with the median time per iteration in milliseconds and GFLOP/s
(the FLOP count of lstm4j's StackShape: 8*H*(I+H) per step, sequence and direction for the forward pass,
twice that for the backward). TF32 is off unless --tf32 is given, so the default compares exact FP32.
"""
import argparse
import json
import statistics
import sys


def flops(t, b, i, h, layers, bidir, train):
    dirs = 2 if bidir else 1
    total = 0
    for layer in range(layers):
        width = i if layer == 0 else dirs * h
        total += 8.0 * t * b * dirs * h * (width + h)
    return total * (3 if train else 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--tf32", action="store_true")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--json")
    parser.add_argument("configs", nargs="+")
    args = parser.parse_args()
    try:
        import torch
    except ImportError as e:
        print("torch_lstm_bench: PyTorch is not importable here (%s); skipped" % e)
        return 0
    if args.device == "cuda" and not torch.cuda.is_available():
        print("torch_lstm_bench: torch sees no CUDA device; skipped")
        return 0
    torch.backends.cuda.matmul.allow_tf32 = args.tf32
    torch.backends.cudnn.allow_tf32 = args.tf32
    device = torch.device(args.device)
    print("torch %s, cuDNN %s, %s, tf32 %s" % (torch.__version__, torch.backends.cudnn.version(),
                                             torch.cuda.get_device_name(0) if args.device == "cuda" else "cpu",
                                             args.tf32))
    results = []
    for spec in args.configs:
        name, t, b, i, h, layers, bidir = spec.split(":")
        t, b, i, h, layers = int(t), int(b), int(i), int(h), int(layers)
        bidir = bidir.lower() in ("1", "true", "yes")
        lstm = torch.nn.LSTM(i, h, num_layers=layers, bidirectional=bidir).to(device)
        x = torch.randn(t, b, i, device=device, requires_grad=True)
        dy = torch.randn(t, b, (2 if bidir else 1) * h, device=device)
        for mode in ("inference", "train"):
            def step():
                if mode == "inference":
                    with torch.no_grad():
                        lstm(x)
                else:
                    y, _ = lstm(x)
                    y.backward(dy)
            for _ in range(args.warmup):
                step()
            times = []
            for _ in range(args.iterations):
                start = torch.cuda.Event(enable_timing=True)
                end = torch.cuda.Event(enable_timing=True)
                start.record()
                step()
                end.record()
                torch.cuda.synchronize()
                times.append(start.elapsed_time(end))
            median = statistics.median(times)
            gflops = flops(t, b, i, h, layers, bidir, mode == "train") / (median * 1e-3) / 1e9
            print("torch %-22s %-9s %9.3f ms %9.1f GFLOP/s" % (name, mode, median, gflops))
            results.append({"config": name, "mode": mode, "ms": median, "gflops": gflops})
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"engine": "torch", "tf32": args.tf32, "results": results}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
