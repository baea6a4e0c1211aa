#!/usr/bin/env bash
# Runs every workload on Antidote (bench/target/benchmarks.jar) and on the PyTorch anchor
# (shared/anchors/torch_cpu_bench.py) in one session, section by section so that both see the same machine
# load, and appends the raw JSON lines to bench/results/<date>.jsonl. Usage, from the repository root:
#   mvn -q -DskipTests -pl bench -am package && bash bench/compare.sh [threads]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
threads="${1:-2}"
anchor="${ANTIDOTE_ANCHOR:-$root/../shared/anchors/torch_cpu_bench.py}"
out="$root/bench/results/$(date -u +%Y-%m-%d).jsonl"
mkdir -p "$(dirname "$out")"
java_run() {
  # Through the launcher, so that the benchmarks run with the product's own JVM settings (one source for them).
  "$root/antidote" bench "$@" --threads "$threads" 2>/dev/null | tee -a "$out"
}
torch_run() {
  /usr/bin/python3 "$anchor" --threads "$threads" --json "$out" "$@" | grep -v '^#' || true
}
# Repeats: 11 for the short workloads and 7 for the products, both sides alike: with 7 and 5 the medians of
# one run moved by up to 10% on this machine.
torch_run --sections gemm --repeats 11
for n in 512 1024 2048; do java_run gemm --input "$n" --iters 11; done
for shape in cifar:3x32x32 fmnist:1x28x28; do
  torch_run --sections vgg --shapes "${shape%%:*}" --warmup 3 --repeats 11
  java_run vgg-eval --input "${shape#*:}" --iters 11
  java_run vgg-train --input "${shape#*:}" --iters 11
  torch_run --sections hvp --shapes "${shape%%:*}" --hvp-modes eval,train --warmup 2 --repeats 7
  java_run hvp-mixed --input "${shape#*:}" --iters 7 --mode eval
  java_run hvp-mixed --input "${shape#*:}" --iters 7 --mode train
  torch_run --sections ibau --shapes "${shape%%:*}" --repeats 3
  java_run ibau-iteration --input "${shape#*:}" --iters 3
done
# Memory next to time: PyTorch's peak RSS for the same train steps (one model per process), and
# PreAct-ResNet18, BackdoorBench's model, which the shared anchor script does not have.
for model in vgg preact; do
  /usr/bin/python3 "$root/bench/torch_train_step.py" --model "$model" --threads "$threads" --repeats 5 --json "$out"
  java_run "$model-train" --input 3x32x32 --iters 5
done
