#include "gavel/eval/batch_spectra.hpp"

#include <algorithm>

#include "gavel/core/execution_spaces.hpp"
#include "gavel/eval/figure_slice.hpp"
#include "gavel/metrics/pdebench_metrics.hpp"
#include "gavel/metrics/spectral_metrics.hpp"

namespace gavel::eval {

/// Kernels in a named namespace: nvcc cannot launch extended lambdas from an unnamed one.
namespace figure_kernels {

/// slices(k·S + q) = point q of the slice of channel k of `fields` (the first `channels` channels).
template <class ExecSpace>
void gather_slices(const Kokkos::View<const float*, typename ExecSpace::memory_space>& fields, std::int64_t channels,
                   std::int64_t points, const FigureSliceGeometry& geometry,
                   const Kokkos::View<float*, typename ExecSpace::memory_space>& slices, const ExecSpace& exec) {
  using Policy = Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>;
  const std::int64_t slice_points = geometry.points();
  Kokkos::parallel_for(
      "gavel::figure_slices", Policy(exec, 0, channels * slice_points), KOKKOS_LAMBDA(const std::int64_t i) {
        const std::int64_t k = i / slice_points, q = i % slice_points;
        slices(i) = fields(k * points + geometry.offset(q / geometry.columns, q % geometry.columns));
      });
}

}  // namespace figure_kernels

namespace {

/// The figures of the batch's first `figure_count` windows: the target sliced on the host, the
/// two predictions gathered on the execution space and copied back slice-sized.
template <class ExecSpace>
void add_figures(const BatchFields<ExecSpace>& batch, std::int64_t figure_count, const ExecSpace& exec,
                 OneStepResult& result) {
  const auto geometry = figure_slice_geometry(batch.shape);
  std::int64_t points = 1;
  for (const auto n : batch.shape)
    points *= n;
  const std::int64_t channels = figure_count * batch.channels, slice_points = geometry.points();
  // One buffer per prediction: on host memory copy_to_host hands back the buffer itself.
  const auto host_slices = [&](const typename BatchFields<ExecSpace>::View& fields) {
    Kokkos::View<float*, typename ExecSpace::memory_space> slices("gavel::figure_slices",
                                                                  static_cast<std::size_t>(channels * slice_points));
    figure_kernels::gather_slices<ExecSpace>(fields, channels, points, geometry, slices, exec);
    exec.fence();
    return copy_to_host(slices, &result.footprint.transfers);
  };
  const auto baseline = host_slices(batch.baseline);
  const auto averaged = host_slices(batch.averaged);
  for (std::int64_t s = 0; s < figure_count; ++s)
    for (std::int64_t c = 0; c < batch.channels; ++c) {
      FigureSample figure;
      figure.window = batch.first_window + s;
      figure.channel = c;
      figure.target = figure_slice(batch.host_target + (s * batch.channels + c) * points, batch.shape, figure.shape);
      const auto first = static_cast<std::size_t>((s * batch.channels + c) * slice_points);
      figure.baseline.assign(baseline.data() + first, baseline.data() + first + slice_points);
      figure.averaged.assign(averaged.data() + first, averaged.data() + first + slice_points);
      result.figures.push_back(std::move(figure));
    }
}

}  // namespace

template <class ExecSpace>
void score_batch_spectra(const BatchFields<ExecSpace>& batch, std::int64_t figure_windows, const ExecSpace& exec,
                         OneStepResult& result) {
  HostTransfers* transfers = &result.footprint.transfers;
  const std::int64_t n = batch.windows, channels = batch.channels;
  const auto& shape = batch.shape;
  result.baseline.append_spectral(
      binned_spectral_metrics<ExecSpace>(batch.baseline, batch.target, n, channels, shape, exec, transfers));
  result.averaged.append_spectral(
      binned_spectral_metrics<ExecSpace>(batch.averaged, batch.target, n, channels, shape, exec, transfers));
  // PDEBench's metrics per window: batch 1 and the n windows as n independent steps, one call.
  const auto pdebench = [&](const typename BatchFields<ExecSpace>::View& prediction, ModeMetrics& mode) {
    const auto m =
        pdebench_metrics<ExecSpace, float>(prediction, batch.target, 1, n, channels, shape, {}, exec, transfers);
    for (std::int64_t s = 0; s < n; ++s)
      mode.append_pdebench(pdebench_step(m, s));
  };
  pdebench(batch.baseline, result.baseline);
  pdebench(batch.averaged, result.averaged);
  const std::int64_t figure_count = std::clamp<std::int64_t>(figure_windows - batch.first_window, 0, n);
  if (figure_count > 0) add_figures(batch, figure_count, exec, result);
}

template <class ExecSpace>
MetricScratch batch_spectra_scratch(std::int64_t channels, const std::vector<std::int64_t>& shape,
                                    std::int64_t figure_windows) {
  auto scratch =
      larger_scratch(binned_spectral_scratch<ExecSpace>(channels, shape), pdebench_scratch<ExecSpace>(channels, shape));
  scratch.fixed_bytes += 2 * static_cast<std::int64_t>(sizeof(float)) * std::max<std::int64_t>(figure_windows, 0) *
                         channels * figure_slice_geometry(shape).points();
  return scratch;
}

#define GAVEL_INSTANTIATE_BATCH_SPECTRA(SPACE)                                                                     \
  template void score_batch_spectra<SPACE>(const BatchFields<SPACE>&, std::int64_t, const SPACE&, OneStepResult&); \
  template MetricScratch batch_spectra_scratch<SPACE>(std::int64_t, const std::vector<std::int64_t>&, std::int64_t);
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_BATCH_SPECTRA)

}  // namespace gavel::eval
