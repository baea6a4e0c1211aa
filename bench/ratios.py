#!/usr/bin/env python3
"""Ratios PyTorch seconds / Antidote seconds from the output of bench/compare.sh, one column per run and the median.

Usage: python3 bench/ratios.py RUN1.txt [RUN2.txt ...]   (each file: the whole stdout of one compare.sh run)
Memory: Antidote's peak live heap after a collection next to PyTorch's peak RSS, for the two train-step workloads
that torch_train_step.py measures.
"""
import json
import re
import statistics
import sys

SHAPES = {"cifar": "3x32x32", "fmnist": "1x28x28"}


def parse(path):
    """(anchor medians in seconds by name, Antidote JSON records in order, PyTorch JSON records in order)."""
    anchor, ours, torch = {}, [], []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        m = re.match(r"\[\w+\] (\S+) threads=\d+ median=([0-9.]+) ms", line)
        if m:
            anchor[m.group(1)] = float(m.group(2)) / 1000
            flops = re.search(r" gflops=([0-9.]+)", line)
            if m.group(1).startswith("sgemm_") and flops:
                # sgemm: compared by rate, stored as seconds per GFLOP so that the ratio reads the same way
                anchor[m.group(1)] = 1 / float(flops.group(1))
        elif line.startswith("{"):
            record = json.loads(line)
            (torch if record.get("impl") == "pytorch" else ours).append(record)
    return anchor, ours, torch


def first(records, workload, shape, mode=None):
    for r in records:
        if r["workload"] == workload and r["input"] == shape and (mode is None or r.get("mode") == mode):
            return r
    return None


def rows(anchor, ours, torch):
    """(label, PyTorch seconds, Antidote seconds) per workload of the table in bench/RESULTS.md."""
    out = []
    for n in (512, 1024, 2048):
        gemm = first(ours, "gemm", f"{n}x{n}")
        out.append((f"sgemm {n} (vs OpenBLAS)", anchor.get(f"sgemm_{n}"), gemm and {"median_s": 1 / gemm["gflops"]}))
    for key, shape in SHAPES.items():
        out.append((f"SmallVgg eval {shape}", anchor.get(f"{key}_eval_forward_b128"), first(ours, "vgg-eval", shape)))
        out.append((f"SmallVgg train {shape}", anchor.get(f"{key}_train_step_b128"), first(ours, "vgg-train", shape)))
        for mode in ("eval", "train"):
            out.append((f"mixed product, {mode} {shape}", anchor.get(f"{key}_{mode}_mixed_d2_dtheta_ddelta_v_b128"),
                        first(ours, "hvp-mixed", shape, mode)))
        out.append((f"I-BAU iteration {shape}", anchor.get(f"{key}_train_outer_iteration_b128"),
                    first(ours, "ibau-iteration", shape)))
    theirs = first(torch, "preact-train", "3x32x32")
    out.append(("PreAct-ResNet18 train step", theirs and theirs["median_s"],
                [r for r in ours if r["workload"] == "preact-train"][-1:] and
                [r for r in ours if r["workload"] == "preact-train"][-1]))
    return [(label, t, o["median_s"] if o else None) for label, t, o in out]


def memory(ours, torch):
    lines = []
    for workload in ("vgg-train", "preact-train"):
        mine = [r for r in ours if r["workload"] == workload and r["input"] == "3x32x32"]
        theirs = first(torch, workload, "3x32x32")
        if mine and theirs:
            lines.append(f"{workload} 3x32x32: Antidote peak heap after GC {mine[-1]['peak_heap_after_gc_mib']} MiB, "
                         f"PyTorch peak RSS {theirs['peak_rss_mib']} MiB")
    return lines


def main(paths):
    runs = [parse(p) for p in paths]
    tables = [rows(*run) for run in runs]
    header = "| workload | " + " | ".join(f"run {i + 1}" for i in range(len(paths))) + " | median |"
    print(header)
    print("|---" * (len(paths) + 2) + "|")
    for i, (label, _, _) in enumerate(tables[0]):
        ratios = [t[i][1] / t[i][2] if t[i][1] and t[i][2] else None for t in tables]
        known = [r for r in ratios if r is not None]
        cells = " | ".join(f"{r:.2f}" if r is not None else "-" for r in ratios)
        print(f"| {label} | {cells} | {statistics.median(known):.2f} |" if known else f"| {label} | {cells} | - |")
    for i, run in enumerate(runs):
        for line in memory(run[1], run[2]):
            print(f"run {i + 1}: {line}")


if __name__ == "__main__":
    main(sys.argv[1:])
