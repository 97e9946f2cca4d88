#include "gavel/eval/predict.hpp"

#include <algorithm>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/eval/batch_size.hpp"
#include "gavel/eval/evaluation_setup.hpp"
#include "gavel/eval/window_batch.hpp"

namespace gavel::eval {

template <class ExecSpace>
datasets::MemorySource predict_windows(const datasets::WindowedDataset& windows, surrogates::Model<ExecSpace>& model,
                                       const PredictOptions& options, PredictReport& report) {
  const auto& data = windows.info();
  const std::int64_t c = windows.channels(), points = windows.points();
  check_model_fits(windows, model.spatial_dims(), model.in_channels(), model.out_channels());
  if (windows.output_steps() != 1)
    throw Error("one-step predictions need windows with one output step (n_steps_output = 1)");
  const std::int64_t total = options.max_windows >= 0 ? std::min(options.max_windows, windows.size()) : windows.size();
  if (total < 1) throw Error("no windows to predict");

  datasets::WellFileInfo info;
  info.dataset_name = data.dataset_name;
  info.grid_type = data.grid_type;
  info.n_trajectories = total;
  info.n_steps = 1;
  info.spatial_dims = data.spatial_dims;
  info.spatial_shape = data.spatial_shape;
  info.coordinates = data.coordinates;
  info.boundary = data.boundary;
  info.time_per_trajectory = true;
  info.time.assign(static_cast<std::size_t>(total), 0.0);
  for (const auto& f : data.fields)
    if (f.time_varying) {
      auto field = f;
      field.sample_varying = true;
      field.dim_varying.clear();
      info.fields.push_back(field);
    }
  for (const char* name : {"window_file", "window_trajectory", "window_start"}) {
    datasets::WellScalar s;
    s.name = name;
    s.sample_varying = true;
    s.values.assign(static_cast<std::size_t>(total), 0.0);
    info.scalars.push_back(s);
  }
  datasets::MemorySource out(info);

  WindowBatchReader reader(windows);
  const std::int64_t cin = reader.input_channels();
  const std::int64_t batch = windows_per_call(options.batch, total, 1, (cin + c) * points);
  using View = typename surrogates::Model<ExecSpace>::View;
  View x("prediction inputs", static_cast<std::size_t>(batch * cin * points));
  View y("predictions", static_cast<std::size_t>(batch * c * points));
  auto hx = Kokkos::create_mirror_view(x);
  for (std::int64_t first = 0; first < total; first += batch) {
    const std::int64_t n = std::min(batch, total - first);
    reader.read(first, n, hx.data(), nullptr);
    const auto& origins = reader.origins();
    for (std::int64_t k = 0; k < n; ++k)
      out.time()[static_cast<std::size_t>(first + k)] = reader.first_output_times()[static_cast<std::size_t>(k)];
    Kokkos::deep_copy(x, hx);
    const auto xs = Kokkos::subview(x, std::make_pair(std::size_t{0}, static_cast<std::size_t>(n * cin * points)));
    const auto ys = Kokkos::subview(y, std::make_pair(std::size_t{0}, static_cast<std::size_t>(n * c * points)));
    model.forward(xs, n, data.spatial_shape, ys, ExecSpace());
    ExecSpace().fence();
    const auto hy = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), ys);
    report.non_finite_outputs += count_non_finite(hy.data(), static_cast<std::int64_t>(hy.extent(0)));
    for (std::int64_t k = 0; k < n; ++k) {
      const std::int64_t w = first + k;
      // Channels first (C, P) back to each field's channels-last frame.
      std::int64_t channel = 0;
      for (std::size_t f = 0; f < info.fields.size(); ++f) {
        const auto components = datasets::frame_size(info, info.fields[f]) / points;
        float* frame = out.frame(f, w, 0);
        for (std::int64_t p = 0; p < points; ++p)
          for (std::int64_t j = 0; j < components; ++j)
            frame[p * components + j] = hy(static_cast<std::size_t>((k * c + channel + j) * points + p));
        channel += components;
      }
      auto& scalars = out.scalars();
      scalars[0].values[static_cast<std::size_t>(w)] = static_cast<double>(origins[static_cast<std::size_t>(k)].file);
      scalars[1].values[static_cast<std::size_t>(w)] =
          static_cast<double>(origins[static_cast<std::size_t>(k)].trajectory);
      scalars[2].values[static_cast<std::size_t>(w)] =
          static_cast<double>(origins[static_cast<std::size_t>(k)].start_step);
    }
  }
  report.replaced_in_inputs += reader.replaced_in_inputs;
  report.windows = total;
  return out;
}

#define GAVEL_INSTANTIATE_PREDICT(SPACE)                                                                              \
  template datasets::MemorySource predict_windows<SPACE>(const datasets::WindowedDataset&, surrogates::Model<SPACE>&, \
                                                         const PredictOptions&, PredictReport&);
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_PREDICT)

}  // namespace gavel::eval
