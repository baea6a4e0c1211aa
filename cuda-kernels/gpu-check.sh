#!/usr/bin/env bash
# The CUDA backend's check for a short GPU window: prints one JSON line per step and stops at the first failure.
# Steps: the device; the conformance suite and the gradient-spec table on it; the bench workloads vgg-train,
# hvp-mixed and ibau-iteration at batch 128 for 3x32x32 and 1x28x28 (images per second, peak device memory); one
# I-BAU round on 5,000 Fashion-MNIST images (ACC/ASR before and after, seconds, peak device memory).
#
#   cuda-kernels/gpu-check.sh --prepare [--jre]
#                                           here, where Maven works: builds the jar and the test classpath into
#                                           cuda-kernels/target/gpu-check (with --jre, a small Java runtime too)
#   cuda-kernels/gpu-check.sh [--model FILE] [--data-dir DIR] [--out DIR]
#                                           on the GPU machine: runs java only, builds nothing. Without --model it
#                                           first trains a SmallVgg on poisoned Fashion-MNIST for one epoch there.
#   cuda-kernels/gpu-check.sh --emulated    every step on the CPU kernel emulator with tiny sizes (CI, any machine)
#
# JAVA names the java to run (default: the bundle's jre, else java on the PATH); cuda-kernels/README.md says what
# to carry to a GPU machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mode=gpu
jre=no
model=""
data_dir=""
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prepare) mode=prepare ;;
    --jre) jre=yes ;;
    --emulated) mode=emulated ;;
    --model) model="${2:?--model needs a file}"; shift ;;
    --data-dir) data_dir="${2:?--data-dir needs a folder}"; shift ;;
    --out) out="${2:?--out needs a folder}"; shift ;;
    *) echo "gpu-check.sh: unknown argument '$1'; use --prepare [--jre], --emulated, --model FILE, --data-dir DIR," \
         "--out DIR" >&2
       exit 2 ;;
  esac
  shift
done

bundle="$root/cuda-kernels/target/gpu-check"
jar="$root/unlearning/target/antidote.jar"
bench_classes="$root/bench/target/classes"

if [ "$mode" = prepare ]; then
  # The product and bench jars, then cuda-kernels' test classpath copied into one folder (no ~/.m2 paths), so that
  # cuda-kernels/target/{classes,test-classes,gpu-check} and the two jars are all a GPU machine needs besides java.
  (cd "$root" && mvn -q -B -ntp ${MVN_ARGS:-} -DskipTests package org.apache.maven.plugins:maven-dependency-plugin:3.6.1:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile=target/gpu-check.classpath)
  rm -rf "$bundle"
  mkdir -p "$bundle/lib"
  # Only what the product's jar lacks: the test engines and autodiff's test-jar (the rest is in antidote.jar).
  tr ':' '\n' < "$root/cuda-kernels/target/gpu-check.classpath" | while read -r f || [ -n "$f" ]; do
    case "$(basename "$f")" in
      junit-*.jar|jqwik*.jar|opentest4j-*.jar|apiguardian-*.jar|*-tests.jar) cp "$f" "$bundle/lib/" ;;
    esac
  done
  if [ "$jre" = yes ]; then
    # A Java runtime small enough to travel (the GPU machine may have none): about 36 MB.
    jlink --add-modules java.base,java.logging,java.management,jdk.incubator.vector,jdk.unsupported \
      --strip-debug --no-header-files --no-man-pages --compress=2 --output "$bundle/jre" 2>/dev/null
  fi
  echo "{\"check\":\"prepare\",\"ok\":true,\"bundle_mib\":$(du -sm "$bundle" | cut -f1),\"jar_mib\":$(du -sm "$jar" | cut -f1)}"
  exit 0
fi

java="${JAVA:-java}"
if [ -z "${JAVA:-}" ] && [ -x "$bundle/jre/bin/java" ]; then
  java="$bundle/jre/bin/java"
fi
for f in "$bundle/lib" "$jar" "$bench_classes" "$root/cuda-kernels/target/test-classes"; do
  if [ ! -e "$f" ]; then
    echo "{\"check\":\"setup\",\"ok\":false,\"error\":\"$f is missing: run cuda-kernels/gpu-check.sh --prepare first\"}"
    exit 1
  fi
done
out="${out:-$(mktemp -d -t gpu-check.XXXXXX)}"
mkdir -p "$out"
tests_cp="$root/cuda-kernels/target/test-classes:$root/cuda-kernels/target/classes:$bundle/lib/*:$jar"
jvm=(--add-modules jdk.incubator.vector -Xmx6g -Dantidote.cuda.module="$root/cuda-kernels")
data=()
[ -n "$data_dir" ] && data=(--data-dir "$data_dir")

if [ "$mode" = emulated ]; then
  # The emulator's provider lives in cuda-kernels' test classes; the sizes only exercise every step's plumbing.
  device=cuda-emulated
  product_cp="$tests_cp"
  bench_cp="$bench_classes:$tests_cp"
  conformance=(antidote.backend.cuda.PrimitiveKernelTableTest
    "antidote.backend.cuda.EmulatedCudaBackendTest#eluBackwardMatchesItsComposedDefinition"
    "antidote.backend.cuda.EmulatedCudaBackendTest#logSoftmaxIsStableForLargeMagnitudes")
  spec=(-Dantidote.spec.cases=1 -Dantidote.spec.primitives=MUL,SUM,LOG_SOFTMAX)
  skips=()
  # SmallVgg's filter gradients take many minutes on the emulator: the bench runs the device path with a small GEMM.
  workloads=(gemm)
  shapes=(32)
  batch=1
  iters=1
  clean='fashion-mnist:test[0:8]'
  eval='fashion-mnist:test[8:16]'
  train=(--device cpu --train-samples 128)
  # SmallVgg's backward pass alone takes many minutes on the emulator, so here the round runs on the CPU and checks
  # the step's plumbing and report (DeviceMemoryTest runs I-BAU steps on the emulated GPU), with K = 1.
  defend_device=cpu
  ibau=(--ibau-iterations 1)
else
  device=cuda
  product_cp="$jar"
  bench_cp="$bench_classes:$jar"
  conformance=(antidote.backend.cuda.CudaBackendConformanceTest antidote.backend.cuda.CudaProviderTest
    antidote.backend.cuda.PrimitiveKernelTableTest)
  spec=(-Dantidote.spec.cases=3)
  skips=(--no-skips)
  workloads=(vgg-train hvp-mixed ibau-iteration)
  shapes=(3x32x32 1x28x28)
  batch=128
  iters=5
  clean='fashion-mnist:test[0:5000]'
  eval='fashion-mnist:test[5000:]'
  train=(--device cuda)
  defend_device=cuda
  ibau=()
fi

"$java" "${jvm[@]}" -cp "$tests_cp" antidote.backend.cuda.DeviceInfo "$device"
"$java" "${jvm[@]}" -cp "$tests_cp" antidote.backend.cuda.GpuCheckTests conformance "${skips[@]}" "${conformance[@]}"
"$java" "${jvm[@]}" -Dantidote.spec.device="$device" "${spec[@]}" -cp "$tests_cp" \
  antidote.backend.cuda.GpuCheckTests gradient-spec "${skips[@]}" antidote.backend.cuda.DeviceGradientSpecTest

# './antidote bench' runs this same class from benchmarks.jar; here it runs from bench's classes and the product's
# jar (the JMH harness is not needed, which keeps what travels to a GPU machine small), and calling java directly
# avoids the launcher's rebuild check, which would look for Maven there.
for workload in "${workloads[@]}"; do
  for shape in "${shapes[@]}"; do
    line="$("$java" "${jvm[@]}" -Dantidote.device="$device" -cp "$bench_cp" antidote.bench.Workloads "$workload" \
        --input "$shape" --batch "$batch" --iters "$iters")"
    python3 -c '
import json, sys
row = json.loads(sys.argv[1])
row = {"check": "bench", "ok": True, **row}
if row["workload"] != "gemm":
    row["images_per_s"] = row["batch"] / row["median_s"]
print(json.dumps(row))' "$line"
  done
done

# One I-BAU round: on a given model, or on a SmallVgg trained here for one epoch on poisoned Fashion-MNIST.
antidote() { "$java" "${jvm[@]}" -cp "$product_cp" antidote.cli.Main "$@"; }
if [ -z "$model" ]; then
  antidote train --dataset fashion-mnist --model small-vgg --attack badnets --epochs 1 "${train[@]}" "${data[@]}" \
    --out "$out/train" > "$out/train.log" 2>&1 || {
      echo "{\"check\":\"train\",\"ok\":false,\"log\":\"$out/train.log\"}"; tail -5 "$out/train.log" >&2; exit 1; }
  model="$out/train/model.safetensors"
fi
antidote defend --model "$model" --arch small-vgg --clean "$clean" --eval "$eval" \
  --attack badnets:size=3,row=25,col=25,target=0 --defense ibau "${ibau[@]}" --device "$defend_device" "${data[@]}" \
  --out "$out/defend" > "$out/defend.log" 2>&1 || {
    echo "{\"check\":\"ibau\",\"ok\":false,\"log\":\"$out/defend.log\"}"; tail -5 "$out/defend.log" >&2; exit 1; }
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
o, gpu = r["outcome"], r["provenance"].get("gpu", {})
print(json.dumps({"check": "ibau", "ok": True, "device": r["provenance"]["device"],
                  "acc_before": o["before"]["acc"], "asr_before": o["before"]["asr"],
                  "acc_after": o["after"]["acc"], "asr_after": o["after"]["asr"], "seconds": o["seconds"],
                  "peak_device_mib": gpu.get("peak_memory_mib"), "report": sys.argv[1]}))' "$out/defend/report.json"
