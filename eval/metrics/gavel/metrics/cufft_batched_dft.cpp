#include "gavel/metrics/cufft_batched_dft.hpp"

#if defined(KOKKOS_ENABLE_CUDA) && defined(GAVEL_HAVE_CUFFT)

#include <limits>
#include <string>

#include <cufft.h>

#include "gavel/core/error.hpp"

namespace gavel::eval {
namespace {

static_assert(sizeof(cufftHandle) == sizeof(int), "cufftHandle is an int");

void check(cufftResult result, const char* call) {
  if (result != CUFFT_SUCCESS)
    throw Error(std::string("cuFFT: ") + call + " failed with cufftResult " + std::to_string(static_cast<int>(result)));
}

/// cuFFT counts in int.
int cufft_count(std::int64_t value, const char* what) {
  if (value < 1 || value > std::numeric_limits<int>::max())
    throw Error(std::string("cuFFT: ") + what + " " + std::to_string(value) + " outside 1 … 2³¹ − 1");
  return static_cast<int>(value);
}

/// The plan's description in cuFFT's ints: axis lengths, points per row, rows.
struct CufftLayout {
  std::vector<int> extents;
  int points = 0, rows = 0;
};

CufftLayout layout_of(const std::vector<std::int64_t>& shape, std::int64_t rows) {
  CufftLayout layout;
  std::int64_t points = 1;
  for (const auto n : shape) {
    layout.extents.push_back(cufft_count(n, "axis length"));
    points *= n;
  }
  layout.points = cufft_count(points, "points per row");
  layout.rows = cufft_count(rows, "rows");
  cufft_count(points * rows, "values");
  return layout;
}

}  // namespace

CufftBatchedDft::CufftBatchedDft(const std::vector<std::int64_t>& shape, std::int64_t rows) {
  auto layout = layout_of(shape, rows);
  cufftHandle plan = 0;
  check(cufftPlanMany(&plan, static_cast<int>(layout.extents.size()), layout.extents.data(), nullptr, 1, layout.points,
                      nullptr, 1, layout.points, CUFFT_Z2Z, layout.rows),
        "cufftPlanMany");
  plan_ = plan;
  planned_ = true;
}

CufftBatchedDft::~CufftBatchedDft() {
  if (planned_) cufftDestroy(plan_);
}

void CufftBatchedDft::forward(void* data, const Kokkos::Cuda& exec) const {
  check(cufftSetStream(plan_, exec.cuda_stream()), "cufftSetStream");
  auto* values = static_cast<cufftDoubleComplex*>(data);
  check(cufftExecZ2Z(plan_, values, values, CUFFT_FORWARD), "cufftExecZ2Z");
}

std::int64_t CufftBatchedDft::workspace_bytes(const std::vector<std::int64_t>& shape, std::int64_t rows) {
  auto layout = layout_of(shape, rows);
  std::size_t bytes = 0;
  check(cufftEstimateMany(static_cast<int>(layout.extents.size()), layout.extents.data(), nullptr, 1, layout.points,
                          nullptr, 1, layout.points, CUFFT_Z2Z, layout.rows, &bytes),
        "cufftEstimateMany");
  return static_cast<std::int64_t>(bytes);
}

}  // namespace gavel::eval

#endif
