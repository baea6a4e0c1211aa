#!/usr/bin/env python3
"""PyTorch's side of Antidote's train-step workloads (vgg-train, preact-train): the median seconds of one
training step (forward, cross-entropy, backward, Adam) on one batch of uniform images with random labels, and
the process's peak resident set, to compare with the JVM's figures that `Workloads` prints. One model per
process, so that the peak belongs to that model. The shared anchor script (../shared/anchors) has no memory
figure and no PreAct-ResNet18; this adds both with the model definitions of tools/golden/make_golden.py, which
the golden tests show equal Antidote's.

    /usr/bin/python3 bench/torch_train_step.py --model preact --input 3x32x32 --threads 2 --repeats 5
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools', 'golden'))
from make_golden import PreActResNet18, SmallVgg  # noqa: E402


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # kB on Linux


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--model', choices=['vgg', 'preact'], default='vgg')
    p.add_argument('--input', default='3x32x32', help='CxHxW')
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--warmup', type=int, default=3)
    p.add_argument('--repeats', type=int, default=5)
    p.add_argument('--json', help='append the JSON line to this file too')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    rss_after_import = peak_rss_mib()
    c, h, w = (int(d) for d in a.input.split('x'))
    if a.model == 'vgg':
        model = SmallVgg(c, h, w, 10)
    else:
        if c != 3:
            sys.exit('torch_train_step.py: the PreAct-ResNet18 definition takes 3 input channels, got ' + a.input)
        model = PreActResNet18(10)
    x = torch.rand(a.batch, c, h, w)
    y = torch.randint(0, 10, (a.batch,))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()

    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()

    for _ in range(a.warmup):
        step()
    times = []
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    row = {'workload': a.model + '-train', 'impl': 'pytorch', 'input': a.input, 'batch': a.batch,
           'median_s': statistics.median(times), 'min_s': min(times), 'repeats': a.repeats,
           'peak_rss_mib': peak_rss_mib(), 'rss_after_import_mib': rss_after_import, 'threads': a.threads,
           'torch': torch.__version__}
    line = json.dumps(row)
    print(line)
    if a.json:
        with open(a.json, 'a') as f:
            f.write(line + '\n')


if __name__ == '__main__':
    main()
