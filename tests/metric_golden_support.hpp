#pragma once
// Reading tests/data/metrics/metrics.golden.hdf5 (layout in tests/data/metrics/README.md) and
// comparing against it with a relative tolerance that also accepts matching NaN and infinities.

#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <H5Cpp.h>

#include "gavel/datasets/hdf5_attributes.hpp"
#include "test_paths.hpp"

namespace gavel::test {

inline std::string metric_golden_path() {
  return gavel::test::test_data_dir() + "/metrics/metrics.golden.hdf5";
}

/// Every value of a dataset, converted by HDF5 to `type`, flattened row-major.
template <class T>
std::vector<T> read_golden(const H5::Group& g, const std::string& name, const H5::PredType& type) {
  const H5::DataSet set = g.openDataSet(name);
  std::size_t n = 1;
  for (auto e : datasets::hdf5::shape(set))
    n *= static_cast<std::size_t>(e);
  std::vector<T> v(n);
  set.read(v.data(), type);
  return v;
}

/// A golden input pair `x`, `y` stored [lead…, *space, C], moved channels first: [lead…, C, *space].
struct GoldenFields {
  std::vector<std::int64_t> lead, space;  ///< leading axes (e.g. B, T) and spatial axes
  std::int64_t channels = 0, points = 1;
  std::vector<float> x, y;
};

inline GoldenFields read_golden_fields(const H5::Group& g, std::size_t leading_axes) {
  GoldenFields f;
  const auto shape = datasets::hdf5::shape(g.openDataSet("x"));
  f.lead.assign(shape.begin(), shape.begin() + static_cast<std::ptrdiff_t>(leading_axes));
  f.space.assign(shape.begin() + static_cast<std::ptrdiff_t>(leading_axes), shape.end() - 1);
  f.channels = shape.back();
  for (auto n : f.space)
    f.points *= n;
  std::int64_t rows = 1;
  for (auto n : f.lead)
    rows *= n;
  const auto x = read_golden<float>(g, "x", H5::PredType::NATIVE_FLOAT);
  const auto y = read_golden<float>(g, "y", H5::PredType::NATIVE_FLOAT);
  f.x.resize(x.size());
  f.y.resize(y.size());
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t p = 0; p < f.points; ++p)
      for (std::int64_t c = 0; c < f.channels; ++c) {
        const auto from = static_cast<std::size_t>((r * f.points + p) * f.channels + c);
        const auto to = static_cast<std::size_t>((r * f.channels + c) * f.points + p);
        f.x[to] = x[from];
        f.y[to] = y[from];
      }
  return f;
}

/// Relative error of got against expected; 0 when both are NaN or the same infinity, +Inf when
/// only one is non-finite.
inline double relative_error(double got, double expected) {
  if (std::isnan(got) || std::isnan(expected)) return std::isnan(got) && std::isnan(expected) ? 0.0 : INFINITY;
  if (std::isinf(got) || std::isinf(expected)) return got == expected ? 0.0 : INFINITY;
  if (got == expected) return 0.0;
  return std::abs(got - expected) / std::max(std::abs(expected), 1e-300);
}

/// Checks every value to `tolerance` relative error and reports the worst one.
inline double check_relative(const std::vector<double>& got, const std::vector<double>& expected, double tolerance,
                             const std::string& what) {
  INFO(what);
  REQUIRE(got.size() == expected.size());
  double worst = 0;
  std::size_t bad = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double e = relative_error(got[i], expected[i]);
    worst = std::max(worst, e);
    if (!(e <= tolerance)) {
      ++bad;
      UNSCOPED_INFO("value " << i << ": got " << got[i] << ", expected " << expected[i]);
    }
  }
  INFO("worst relative error " << worst << " (tolerance " << tolerance << ")");
  CHECK(bad == 0);
  return worst;
}

}  // namespace gavel::test
