#!/usr/bin/env python3
"""PyTorch's side of the GPU comparison: runs the shared CPU anchor script (../shared/anchors/torch_cpu_bench.py,
unchanged) on a CUDA device, so that cuda-kernels/gpu-check.sh's bench rows have PyTorch's figures from the same
machine and the same workloads (same models, batches and I-BAU step) beside them.

Three changes make the CPU script a GPU one without copying it: tensors and modules are created on the device
(torch.set_default_device), its batches are made on the CPU generator as before and then moved (the same images
as on the CPU), and every clock read first waits for the device (torch.cuda.synchronize), since CUDA calls
return before the work is done. It ends with one JSON line giving the peak device memory PyTorch allocated.

    python3 bench/torch_gpu_anchor.py ANCHOR_SCRIPT [--device cuda] [anchor options, e.g. --sections vgg,ibau]
"""
import importlib.util
import json
import sys
import time

import torch


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: torch_gpu_anchor.py ANCHOR_SCRIPT [--device cuda|cpu] [anchor options]")
    script, rest = sys.argv[1], sys.argv[2:]
    device = 'cuda'
    if rest[:1] == ['--device']:
        device, rest = rest[1], rest[2:]
    spec = importlib.util.spec_from_file_location('torch_cpu_bench', script)
    anchor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(anchor)

    if device != 'cpu':  # on the CPU (any torch version) the anchor runs as it is: a check of this wrapper's plumbing
        cpu_batch = anchor.make_batch

        def make_batch(*args, **kwargs):
            with torch.device('cpu'):
                x, y = cpu_batch(*args, **kwargs)
            return x.to(device), y.to(device)

        anchor.make_batch = make_batch
        torch.set_default_device(device)
        clock = time.perf_counter

        def synchronized_clock():
            torch.cuda.synchronize()
            return clock()

        time.perf_counter = synchronized_clock
        print(f"# device {torch.cuda.get_device_name()} cudnn {torch.backends.cudnn.version()}", flush=True)
    sys.argv = [script] + rest
    anchor.main()
    peak = torch.cuda.max_memory_allocated() / 2 ** 20 if device.startswith('cuda') else None
    print(json.dumps({"check": "torch-peak", "device": device, "peak_device_mib": peak}), flush=True)


if __name__ == '__main__':
    main()
