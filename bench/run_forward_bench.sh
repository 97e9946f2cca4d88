#!/usr/bin/env bash
# Forward samples/s of The Well's FNO and UNetClassic (published sizes) in gavel and in PyTorch
# CPU, same thread count, repetitions interleaved (tools/bench_forward_torch.py drives both), at
# the_well's shapes: 128² with 8 → 2 channels and 256² with 44 → 11 channels, batch 8 and 64.
# Prints each configuration's timings and, at the end, the markdown table of bench/README.md.
#
#   bash bench/run_forward_bench.sh [THREADS]          # default: 2
#
# Environment: GAVEL_BENCH_PYTHON (default ~/.cache/gavel/venv-reference/bin/python, the pinned
# venv of tools/requirements-reference.txt), GAVEL_BENCH_BIN (default
# build/default/bin/bench_forward), GAVEL_BENCH_REPEATS_SCALE (multiplies every repetition count,
# default 1), GAVEL_BENCH_ONLY (run only the configurations whose "model size batch" contains it).
set -euo pipefail
cd "$(dirname "$0")/.."

threads=${1:-2}
python=${GAVEL_BENCH_PYTHON:-$HOME/.cache/gavel/venv-reference/bin/python}
bin=${GAVEL_BENCH_BIN:-build/default/bin/bench_forward}
scale=${GAVEL_BENCH_REPEATS_SCALE:-1}
only=${GAVEL_BENCH_ONLY:-}
[[ -x $bin ]] || { echo "no $bin: cmake --build --preset default --target bench_forward" >&2; exit 1; }

export OMP_NUM_THREADS=$threads OMP_PROC_BIND=spread OMP_PLACES=threads

# model size dim_in dim_out batch repeats: repetitions sized so that the whole run takes about
# 20 minutes on 2 cores (18.5 on the shared VM of bench/README.md; the first, untimed forward of
# each side is its warm-up; torch's is also the reference output that gavel's is checked against).
configs=(
  "FNO 128 8 2 8 5"
  "UNetClassic 128 8 2 8 5"
  "FNO 128 8 2 64 2"
  "UNetClassic 128 8 2 64 2"
  "FNO 256 44 11 8 2"
  "UNetClassic 256 44 11 8 2"
  "FNO 256 44 11 64 1"
  "UNetClassic 256 44 11 64 1"
)

rows=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for c in "${configs[@]}"; do
  read -r model size din dout batch repeats <<<"$c"
  [[ -z $only || "$model $size $batch" == *"$only"* ]] || continue
  repeats=$((repeats * scale))
  echo "== $model ${size}² $din→$dout batch $batch: $repeats interleaved repetitions, $threads threads" >&2
  # progress on stderr as it comes (tee to stdout redirected, not to /dev/stderr, which would
  # reopen, and truncate, a log file that stderr points to)
  "$python" tools/bench_forward_torch.py --model "$model" --size "$size" --dim-in "$din" \
    --dim-out "$dout" --batch "$batch" --repeats "$repeats" --warmup 0 --threads "$threads" --gavel "$bin" |
    tee "$log" >&2
  rows+=("$(sed -n 's/^ROW //p' "$log")")
done

echo
echo "$(date -u +%Y-%m-%d), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, $threads threads"
echo
echo "| model | shape (fields in → out) | batch | pairs | gavel samples/s | PyTorch samples/s | gavel / PyTorch | gavel samples/CPU-s | PyTorch samples/CPU-s | gavel / PyTorch (CPU) | rel. L2 vs PyTorch | peak RSS gavel / PyTorch |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
