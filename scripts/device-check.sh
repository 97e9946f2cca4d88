#!/usr/bin/env bash
# The GPU check, in two halves.
#
#   bash scripts/device-check.sh prepare   # here (Debian, CUDA 11.8): build the cuda preset and put
#                                          # libcudart.so.11.0 next to the binaries
#   bash scripts/device-check.sh run       # on the GPU machine, in the repository root: the test
#                                          # suite on the host and CUDA spaces, then the bandwidth
#                                          # benchmark; logs go to $OUT (default /tmp/gavel-device)
#
# Carry build/cuda/bin and build/cuda/lib to the GPU machine between the two.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  prepare)
    bash scripts/setup.sh --cuda
    cmake --preset cuda
    cmake --build --preset cuda
    mkdir -p build/cuda/lib
    cp -L /usr/lib/x86_64-linux-gnu/libcudart.so.11.0 build/cuda/lib/
    du -sh build/cuda/bin build/cuda/lib
    ;;
  run)
    out="${OUT:-/tmp/gavel-device}"
    mkdir -p "$out"
    export LD_LIBRARY_PATH="$PWD/build/cuda/lib:${LD_LIBRARY_PATH:-}"
    export GAVEL_EXECUTABLE="$PWD/build/cuda/bin/gavel"
    export OMP_PROC_BIND=spread OMP_PLACES=threads
    date -u +%Y-%m-%dT%H:%MZ | tee "$out/date.txt"
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv | tee "$out/gpu.txt"
    status=0
    build/cuda/bin/gavel_tests >"$out/tests.txt" 2>&1 || status=$?
    tail -n 4 "$out/tests.txt"
    build/cuda/bin/bench_transforms >"$out/bench.md" 2>&1 || status=$?
    cat "$out/bench.md"
    exit "$status"
    ;;
  *)
    sed -n '2,11p' "$0"
    exit 2
    ;;
esac
