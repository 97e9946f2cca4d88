#include "gavel/eval/predict.hpp"

#include <algorithm>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/datasets/model_input.hpp"

namespace gavel::eval {

template <class ExecSpace>
datasets::MemorySource predict_windows(const datasets::WindowedDataset& windows, surrogates::Model<ExecSpace>& model,
                                       const PredictOptions& options, PredictReport& report) {
  const auto& data = windows.info();
  const int ti = windows.spec().n_steps_input;
  const std::int64_t c = windows.channels(), cc = windows.constant_channels(), points = windows.points();
  if (model.in_channels() != ti * c + cc || model.out_channels() != c)
    throw Error("model takes " + std::to_string(model.in_channels()) + " channels and predicts " +
                std::to_string(model.out_channels()) + ", the data gives " + std::to_string(ti) + " steps × " +
                std::to_string(c) + " + " + std::to_string(cc) + " constant channels = " + std::to_string(ti * c + cc) +
                " and has " + std::to_string(c) + " time-varying channels");
  if (model.spatial_dims() != data.ndim())
    throw Error("a " + std::to_string(model.spatial_dims()) + "-D model on " + std::to_string(data.ndim()) + "-D data");
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

  const std::int64_t batch = std::max<std::int64_t>(1, options.batch);
  const std::int64_t cin = ti * c + cc;
  using View = typename surrogates::Model<ExecSpace>::View;
  View x("prediction inputs", static_cast<std::size_t>(batch * cin * points));
  View y("predictions", static_cast<std::size_t>(batch * c * points));
  auto hx = Kokkos::create_mirror_view(x);
  datasets::Window window;
  datasets::ModelInput input;
  std::vector<datasets::WindowOrigin> origins;
  for (std::int64_t first = 0; first < total; first += batch) {
    const std::int64_t n = std::min(batch, total - first);
    origins.clear();
    for (std::int64_t k = 0; k < n; ++k) {
      windows.read(first + k, window);
      datasets::format_channels_first(windows, window, input);
      report.replaced_in_inputs += input.replaced_in_x;
      std::copy(input.x.begin(), input.x.end(), hx.data() + k * cin * points);
      origins.push_back(window.origin);
      out.time()[static_cast<std::size_t>(first + k)] = window.output_time.at(0);
    }
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
  report.windows = total;
  return out;
}

#define GAVEL_INSTANTIATE_PREDICT(SPACE)                                                                              \
  template datasets::MemorySource predict_windows<SPACE>(const datasets::WindowedDataset&, surrogates::Model<SPACE>&, \
                                                         const PredictOptions&, PredictReport&);
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_PREDICT)

}  // namespace gavel::eval
