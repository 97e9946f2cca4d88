#pragma once

#include <cstdint>

namespace gavel::detail {

// Software prefetches for the host kernels. Lines are requested with locality 1 (x86:
// prefetcht2, which fills L2 but not L1): the kernels fetch a whole field or tile ahead, which
// L2 holds and L1 does not; fetched into L1 (locality 3, prefetcht0) it evicted the staging band
// and the lines in use. Measured on Zen 4, one thread, 2-D rot90 on (64, 4, 256²): 12.2 ms
// (locality 3 or 0), 8.5 ms (2), 7.6 ms (1).
inline void prefetch_line(const char* line) {
  __builtin_prefetch(line, 0, 1);
}

/// A contiguous range of cache lines to prefetch while a kernel works on something else,
/// handed out a few at a time.
struct PrefetchRun {
  const char* next = nullptr;
  std::int64_t left = 0;  ///< lines not yet requested

  /// Part `part` of `parts` equal parts of the `n` values at `field`.
  template <class Scalar>
  PrefetchRun(const Scalar* field, std::int64_t n, std::int64_t part, std::int64_t parts) {
    const std::int64_t lines = (n * static_cast<std::int64_t>(sizeof(Scalar)) + 63) / 64;
    const std::int64_t share = (lines + parts - 1) / parts;
    const std::int64_t first = part * share < lines ? part * share : lines;
    next = reinterpret_cast<const char*>(field) + first * 64;
    left = (first + share < lines ? first + share : lines) - first;
  }
  PrefetchRun() = default;

  /// Requests the next `k` lines.
  void issue(std::int64_t k) {
    for (; k > 0 && left > 0; --k, --left, next += 64)
      prefetch_line(next);
  }
};

/// The cache lines of a box of one field (a range of indices along each axis), in memory order,
/// handed out a few at a time: what one tile of a transposed gather will read, which is spread
/// over many rows that the hardware prefetchers do not follow.
struct PrefetchBox {
  /// Lines not yet requested: an upper bound (a run may start or end inside a line).
  std::int64_t left = 0;

  PrefetchBox() = default;

  /// Along axis k < ndim (at most 3), `count[k]` indices from `first[k]`, `stride[k]` values
  /// apart; axis `contiguous` has stride 1 (its indices form the contiguous runs).
  template <class Scalar>
  PrefetchBox(const Scalar* field, int ndim, int contiguous, const std::int64_t first[], const std::int64_t count[],
              const std::int64_t stride[]) {
    constexpr auto size = static_cast<std::int64_t>(sizeof(Scalar));
    base_ = reinterpret_cast<const char*>(field);
    int outer = 0;
    for (int k = 0; k < ndim; ++k) {
      if (k == contiguous) {
        base_ += first[k] * size;
        run_bytes_ = count[k] * size;
      } else {
        stride_[outer] = stride[k] * size;
        count_[outer] = count[k];
        base_ += first[k] * stride[k] * size;
        ++outer;
      }
    }
    // Memory order: the larger stride outside.
    if (stride_[1] > stride_[0]) {
      const std::int64_t s = stride_[0], c = count_[0];
      stride_[0] = stride_[1];
      count_[0] = count_[1];
      stride_[1] = s;
      count_[1] = c;
    }
    left = count_[0] * count_[1] * (run_bytes_ / 64 + 2);
    start_run();
  }

  /// Requests the next `k` lines.
  void issue(std::int64_t k) {
    for (; k > 0 && left > 0; --k, --left) {
      prefetch_line(line_);
      line_ += 64;
      if (line_ >= run_end_) next_run();
    }
  }

 private:
  void start_run() {
    const char* start = base_ + index_[0] * stride_[0] + index_[1] * stride_[1];
    line_ = reinterpret_cast<const char*>(reinterpret_cast<std::uintptr_t>(start) & ~std::uintptr_t{63});
    run_end_ = start + run_bytes_;
  }
  void next_run() {
    if (++index_[1] == count_[1]) {
      index_[1] = 0;
      if (++index_[0] == count_[0]) {
        left = 0;
        return;
      }
    }
    start_run();
  }

  const char* base_ = nullptr;
  std::int64_t run_bytes_ = 0;
  std::int64_t stride_[2] = {0, 0};
  std::int64_t count_[2] = {1, 1};
  std::int64_t index_[2] = {0, 0};
  const char* line_ = nullptr;
  const char* run_end_ = nullptr;
};

}  // namespace gavel::detail
