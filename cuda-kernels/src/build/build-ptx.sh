#!/usr/bin/env bash
# Compiles every CUDA source of the CUDA backend to PTX. Maven runs it in generate-resources
# (cuda-kernels/pom.xml, profile cuda-ptx); it can also be run by hand with the same arguments.
#
#   build-ptx.sh SOURCE_DIR OUTPUT_DIR ARCH PTX_ISA
#
# nvcc is taken from $NVCC, else PATH, else /usr/local/cuda/bin. Without one (or with NVCC=none, to build
# without PTX on purpose) it prints why and exits 0: the build goes on, the jar holds no PTX, and the cuda
# device reports itself unavailable (everything then runs on the CPU).
set -euo pipefail

if [ $# -ne 4 ]; then
  echo "usage: $0 SOURCE_DIR OUTPUT_DIR ARCH PTX_ISA (e.g. src/main/cuda target/classes/ptx compute_75 8.0)" >&2
  exit 2
fi
src=$1 out=$2 arch=$3 isa=$4

nvcc=${NVCC:-}
if [ "$nvcc" = none ]; then
  echo "[cuda-kernels] NVCC=none: the PTX kernels are NOT built; the 'cuda' device will report itself unavailable."
  exit 0
fi
if [ -n "$nvcc" ] && [ ! -x "$nvcc" ]; then
  echo "[cuda-kernels] NVCC=$nvcc is not an executable; point it at nvcc, or set NVCC=none to build without PTX." >&2
  exit 1
fi
if [ -z "$nvcc" ]; then
  nvcc=$(command -v nvcc || true)
fi
if [ -z "$nvcc" ] && [ -x /usr/local/cuda/bin/nvcc ]; then
  nvcc=/usr/local/cuda/bin/nvcc
fi
if [ -z "$nvcc" ]; then
  echo "[cuda-kernels] WARNING: nvcc not found (not in NVCC, PATH or /usr/local/cuda/bin): the PTX kernels are NOT built."
  echo "[cuda-kernels] The build continues; the 'cuda' device will report itself unavailable and the CPU backend is used."
  exit 0
fi

mkdir -p "$out"
shopt -s nullglob
for cu in "$src"/*.cu; do
  name=$(basename "$cu" .cu)
  ptx="$out/$name.ptx"
  # Up to date when newer than its source, the shared header and this script.
  if [ "$ptx" -nt "$cu" ] && [ "$ptx" -nt "$src/common.cuh" ] && [ "$ptx" -nt "$0" ]; then
    continue
  fi
  "$nvcc" -ptx -arch="$arch" -O3 -I "$src" -o "$ptx.tmp" "$cu"
  # Lower (never raise) the declared PTX ISA so that older drivers accept the module; see cuda.ptx.isa in the pom.
  emitted=$(sed -n 's/^\.version \([0-9.]*\)$/\1/p' "$ptx.tmp")
  declared=$(printf '%s\n%s\n' "$emitted" "$isa" | sort -V | head -n1)
  sed "s/^\.version $emitted\$/.version $declared/" "$ptx.tmp" > "$ptx"
  rm -f "$ptx.tmp"
  echo "[cuda-kernels] $name.cu -> $ptx ($arch, PTX ISA $declared, nvcc wrote $emitted)"
done
