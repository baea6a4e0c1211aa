# Where PyTorch spends the eval-mode mixed product of bench/compare.sh (SmallVgg, batch 128, 2 threads), per op.
# Usage, from the repository root: /usr/bin/python3 bench/probes/torch_mixed_profile.py [fmnist|cifar]
# Prints seven timed products (seconds) and torch.profiler's table over five more (the profiler adds its own time).
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "anchors"))
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.profiler import ProfilerActivity, profile  # noqa: E402
from torch_cpu_bench import SHAPES, SimpleVGG, make_batch  # noqa: E402

in_ch, hw = SHAPES[sys.argv[1] if len(sys.argv) > 1 else "fmnist"]
torch.set_num_threads(2)
torch.manual_seed(0)
model = SimpleVGG(in_ch, hw).eval()
params = list(model.parameters())
x, y = make_batch(in_ch, hw, 128)
delta = (0.01 * torch.randn(1, in_ch, hw, hw)).requires_grad_(True)
v = torch.randn(1, in_ch, hw, hw)


def mixed():
    loss = F.cross_entropy(model(x + delta), y)
    (g,) = torch.autograd.grad(loss, delta, create_graph=True)
    return torch.autograd.grad((g * v).sum(), params)


for _ in range(5):
    mixed()
times = []
for _ in range(7):
    start = time.perf_counter()
    mixed()
    times.append(time.perf_counter() - start)
print("seconds:", " ".join(f"{t:.3f}" for t in sorted(times)))
with profile(activities=[ProfilerActivity.CPU]) as prof:
    for _ in range(5):
        mixed()
print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=15))
