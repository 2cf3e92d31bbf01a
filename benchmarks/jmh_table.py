#!/usr/bin/env python3
"""Turns JMH JSON results into the Markdown tables of BENCHMARKS.md (GFLOP/s and GB/s)."""
import json
import sys

MLP_FLOPS = {
    "forward64x784x128": 2 * 64 * 784 * 128,
    "weightGrad128x64x784": 2 * 128 * 64 * 784,
    "logits64x128x10": 2 * 64 * 128 * 10,
    "hiddenGrad64x10x128": 2 * 64 * 10 * 128,
}
N = 4 << 20
BYTES = {  # bytes moved per call: reads + writes of 4-byte floats
    "add": 3 * 4 * N, "mul": 3 * 4 * N, "exp": 2 * 4 * N, "addInPlace": 3 * 4 * N,
    "sum": 4 * N, "softmax": 2 * 4 * N,
}


def main(paths):
    rows = []
    for path in paths:
        rows += json.load(open(path))
    gemm, mlp, elem, step = {}, {}, {}, {}
    for r in rows:
        name = r["benchmark"].split(".")
        cls, method = name[-2], name[-1]
        p = r.get("params", {})
        us = r["primaryMetric"]["score"]
        t = p.get("threads")
        if cls == "MatMulBenchmark":
            n = int(p["n"])
            gemm.setdefault(n, {})[t] = (us, 2 * n**3 / (us * 1e-6) / 1e9)
        elif cls == "MlpShapesBenchmark":
            mlp.setdefault(method, {})[t] = (us, MLP_FLOPS[method] / (us * 1e-6) / 1e9)
        elif cls == "ElementwiseBenchmark":
            elem.setdefault(method, {})[t] = (us, BYTES[method] / (us * 1e-6) / 1e9)
        elif cls == "TrainingStepBenchmark":
            sec = r.get("secondaryMetrics", {})
            alloc = sec.get("gc.alloc.rate.norm", {}).get("score")
            gc_ms = sec.get("gc.time", {}).get("score")
            measured_s = r["measurementIterations"] * float(r["measurementTime"].split()[0])
            step[int(p["batch"])] = (us, alloc, gc_ms, measured_s)
    if gemm:
        print("| N | 1 thread µs | 1 thread GFLOP/s | 2 threads µs | 2 threads GFLOP/s |")
        print("|---|---|---|---|---|")
        for n in sorted(gemm):
            a, b = gemm[n].get("1"), gemm[n].get("2")
            print(f"| {n} | {a[0]:.1f} | {a[1]:.0f} | {b[0]:.1f} | {b[1]:.0f} |")
        print()
    if mlp:
        print("| shape | 1 thread µs | GFLOP/s | 2 threads µs | GFLOP/s |")
        print("|---|---|---|---|---|")
        for m in MLP_FLOPS:
            if m in mlp:
                a, b = mlp[m].get("1"), mlp[m].get("2")
                print(f"| {m} | {a[0]:.1f} | {a[1]:.0f} | {b[0]:.1f} | {b[1]:.0f} |")
        print()
    if step:
        print("| batch | µs per step | bytes allocated per step | GC time, share of the run |")
        print("|---|---|---|---|")
        for b in sorted(step):
            us, alloc, gc_ms, measured_s = step[b]
            alloc_s = f"{alloc / 1e3:.0f} KB" if alloc is not None else "(run with -prof gc)"
            gc_s = f"{gc_ms:.0f} ms of {measured_s:.0f} s ({100 * gc_ms / 1e3 / measured_s:.1f}%)" if gc_ms is not None else ""
            print(f"| {b} | {us:.1f} | {alloc_s} | {gc_s} |")
        print()
    if elem:
        print("| op (4M floats) | 1 thread µs | GB/s | 2 threads µs | GB/s |")
        print("|---|---|---|---|---|")
        for m in BYTES:
            if m in elem:
                a, b = elem[m].get("1"), elem[m].get("2")
                print(f"| {m} | {a[0]:.0f} | {a[1]:.1f} | {b[0]:.0f} | {b[1]:.1f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
