#!/usr/bin/python3
"""Runs I-BAU with the reference code's protocol on the PyTorch BadNets fixture and prints what Antidote's
Java run can be compared with, step by step.

Run from the repository root with Debian's PyTorch (python3-torch 1.13):

    /usr/bin/python3 tools/ibau-reference/ibau_reference.py [--rounds 3] [--mask first] [--trace 3]

The protocol is the one of ../shared/fixtures/README.md (I-BAU's clean_solution_batch_opt_hyperparameter.py
with the L2-ball line commented out, as published): model in evaluation mode, the 5000 clean images
(Fashion-MNIST test 0-4999) as 50 fixed batches of 100 in order, one Adam (lr 1e-3) for the whole run. Each
round: δ = 0, one SGD step (lr 10) per batch on −CE(f(x+δ), argmax f(x)) + 0.001‖δ‖²; then per batch one
Adam step along the fixed-point hypergradient (K = 5, η = 0.1, L_in on batch 0 with true labels, L_out with
δ added to 1 of the 100 images). Metrics on test images 5000-9999: ACC, and ASR over non-target images with
the 3×3 patch at rows/cols 25-27 set to 1.0 (target 0).

`--mask first` adds δ to the first image of each outer batch instead of a random one, so that a Java run
doing the same can be compared number for number; `--trace N` prints δ's norm after each of the first N
ascent steps and the quantities of the first N unlearning steps of round 1.
"""
import argparse
import gzip
import json
import os
import random
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

# The same PyTorch SmallVgg the golden files are made with (one definition of I-BAU's model for both tools).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'golden'))
from make_golden import SmallVgg  # noqa: E402

FIXTURE = '../shared/fixtures/fmnist-badnets-smallvgg-pytorch.safetensors'
DATA = '/usr/share/datasets/fashion-mnist'
DTYPES = {'F32': np.float32, 'F64': np.float64, 'I64': np.int64}


def load_safetensors(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, h in header.items():
        if name == '__metadata__':
            continue
        a, b = h['data_offsets']
        out[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype=DTYPES[h['dtype']]).reshape(h['shape']).copy())
    return out


def idx(path):
    with gzip.open(path, 'rb') as f:
        raw = f.read()
    dims = raw[3]
    shape = struct.unpack('>' + 'I' * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def metrics(model, x, y, target=0):
    with torch.no_grad():
        acc = (model(x).argmax(1) == y).float().mean().item()
        keep = y != target
        xt = x[keep].clone()
        xt[:, :, 25:28, 25:28] = 1.0
        asr = (model(xt).argmax(1) == target).float().mean().item()
    return 100 * acc, 100 * asr


def norm(ts):
    return float(torch.sqrt(sum((t.double() ** 2).sum() for t in ts)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--rounds', type=int, default=3)
    p.add_argument('--mask', choices=['random', 'first'], default='random')
    p.add_argument('--trace', type=int, default=0)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--permute', type=int, default=None,
                   help='put the clean images in the random order of this seed instead of their file order')
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    torch.manual_seed(args.seed)

    x = torch.from_numpy(idx(DATA + '/t10k-images-idx3-ubyte.gz').astype(np.float32) / 255).unsqueeze(1)
    y = torch.from_numpy(idx(DATA + '/t10k-labels-idx1-ubyte.gz').astype(np.int64))
    clean_x, clean_y, eval_x, eval_y = x[:5000], y[:5000], x[5000:], y[5000:]
    if args.permute is not None:
        order = torch.from_numpy(np.random.RandomState(args.permute).permutation(5000))
        clean_x, clean_y = clean_x[order], clean_y[order]
    images_list = list(clean_x.split(100))
    labels_list = list(clean_y.split(100))

    model = SmallVgg(1, 28, 28, 10)
    model.load_state_dict(load_safetensors(FIXTURE))
    model.eval()
    params = list(model.parameters())
    outer_opt = torch.optim.Adam(params, lr=1e-3)
    print('before  ACC %.2f  ASR %.2f' % metrics(model, eval_x, eval_y), flush=True)

    for rnd in range(1, args.rounds + 1):
        start = time.time()
        trace = args.trace if rnd == 1 else 0
        pert = torch.zeros_like(clean_x[:1], requires_grad=True)
        inner_opt = torch.optim.SGD([pert], lr=10)
        for b, images in enumerate(images_list):
            ori = model(images).argmax(1)
            loss = -F.cross_entropy(model(images + pert), ori) + 0.001 * pert.norm() ** 2
            inner_opt.zero_grad()
            loss.backward()
            inner_opt.step()
            if b < trace:
                print('ascent %d  loss %.6f  |delta| %.6f' % (b, loss.item(), pert.norm().item()), flush=True)
        print('round %d  |delta| after ascent %.4f  max %.4f  min %.4f' % (
            rnd, pert.norm().item(), pert.max().item(), pert.min().item()), flush=True)

        delta = pert.detach()[0].requires_grad_(True)
        for b in range(len(images_list)):
            images, labels = images_list[b], labels_list[b]
            patch = torch.zeros_like(images)
            idxs = [0] if args.mask == 'first' else random.sample(range(images.shape[0]), 1)
            patch[idxs] = delta
            l_out = F.cross_entropy(model(images + patch), labels)
            g_out = torch.autograd.grad(l_out, [delta] + params)
            g_delta, g_theta = g_out[0], g_out[1:]
            l_in = -F.cross_entropy(model(images_list[0] + delta), labels_list[0]) + 0.001 * delta.norm() ** 2
            g_in = torch.autograd.grad(l_in, delta, create_graph=True)[0]
            mapped = delta - 0.1 * g_in
            v = torch.zeros_like(delta)
            steps = 0
            for _ in range(5):
                prev = v
                v = torch.autograd.grad(mapped, delta, grad_outputs=v, retain_graph=True)[0] + g_delta
                steps += 1
                if float(torch.norm(v - prev)) < 1e-10:
                    break
            mixed = torch.autograd.grad(mapped, params, grad_outputs=v)
            grads = [g + m for g, m in zip(g_theta, mixed)]
            if b < trace:
                print('unlearn %d  L_out %.6f  L_in %.6f  |g_delta| %.6e  |v| %.6e  |g_theta| %.6e  |hyper| %.6e'
                      % (b, l_out.item(), l_in.item(), g_delta.norm().item(), v.norm().item(), norm(g_theta),
                         norm(grads)), flush=True)
            outer_opt.zero_grad()
            for prm, g in zip(params, grads):
                prm.grad = g.detach()
            outer_opt.step()
        seconds = time.time() - start
        acc, asr = metrics(model, eval_x, eval_y)
        print('round %d  ACC %.2f  ASR %.2f  %.1f s' % (rnd, acc, asr, seconds), flush=True)


if __name__ == '__main__':
    main()
