#!/usr/bin/env bash
# Runs one libFuzzer harness of tests/fuzz for a fixed time under ASan + UBSan, starting from its
# seed corpus (copied, so the repository's corpus is not written to), and prints one summary line:
#   TARGET: EXECS execs, RATE exec/s, SECONDS s, CRASHES crashes
# Exits non-zero when the harness finds a crash, a leak, a timeout or an out-of-memory input; the
# input that caused it is kept in $GAVEL_FUZZ_ARTIFACTS (default build/fuzz/artifacts/TARGET/).
#   tests/fuzz/run.sh TARGET SECONDS [libFuzzer options...]
#   tests/fuzz/run.sh all SECONDS     # every harness, two at a time
# The harnesses are built by `cmake --workflow --preset fuzz`.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
targets=(safetensors_header model_config stats_yaml element_notation rollout_windows boundary_conditions
  netcdf_attributes)
if [ $# -lt 2 ]; then
  echo "usage: $0 TARGET|all SECONDS [libFuzzer options...]   (targets: ${targets[*]})" >&2
  exit 2
fi
target="$1" seconds="$2"
shift 2

if [ "$target" = all ]; then
  # Two at a time (CI has two cores); each failure is reported, the first one's status returned.
  status=0
  for ((i = 0; i < ${#targets[@]}; i += 2)); do
    pids=()
    for t in "${targets[@]:i:2}"; do
      "$0" "$t" "$seconds" "$@" &
      pids+=($!)
    done
    for pid in "${pids[@]}"; do
      wait "$pid" || status=$?
    done
  done
  exit "$status"
fi

binary="$root/build/fuzz/bin/fuzz_$target"
[ -x "$binary" ] || { echo "$0: $binary not built (cmake --workflow --preset fuzz)" >&2; exit 2; }
artifacts="${GAVEL_FUZZ_ARTIFACTS:-$root/build/fuzz/artifacts}/$target"
mkdir -p "$artifacts"
# In memory where there is /dev/shm: the NetCDF harness writes a scratch file per input there.
work=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
trap 'rm -rf "$work"' EXIT
export GAVEL_FUZZ_SCRATCH="$work"
cp -r "$root/tests/fuzz/corpus/$target" "$work/corpus"
log="$artifacts/last-run.log"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
# -rss_limit_mb and -malloc_limit_mb: an input that makes a parser allocate gigabytes is a finding.
"$binary" "$work/corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "$@" >"$log" 2>&1 || status=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
crashes=$([ "$status" -eq 0 ] && echo 0 || echo 1)
echo "$target: ${execs:-?} execs, ${rate:-?} exec/s, $seconds s, $crashes crashes"
if [ "$status" -ne 0 ]; then
  echo "--- $target failed (status $status); end of $log:" >&2
  tail -n 40 "$log" >&2
  ls -1 "$artifacts" | grep -v last-run.log | sed "s|^|  artifact: $artifacts/|" >&2 || true
fi
exit "$status"
