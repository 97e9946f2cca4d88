#include "gavel/eval/rollout_evaluation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/core/group_action.hpp"
#include "gavel/eval/averaged_model.hpp"
#include "gavel/eval/batch_size.hpp"
#include "gavel/eval/rollout_inputs.hpp"
#include "gavel/eval/window_batch.hpp"
#include "gavel/metrics/spatial_metrics.hpp"

namespace gavel::eval {
namespace {

template <class View>
View range(const View& view, std::int64_t begin, std::int64_t end) {
  return Kokkos::subview(view, std::make_pair(static_cast<std::size_t>(begin), static_cast<std::size_t>(end)));
}

std::vector<double> vrmse_of(const SpatialMetrics& m) {
  std::vector<double> out(m.vmse.size());
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = std::sqrt(m.vmse[i]);
  return out;
}

template <class HostView>
void count_per_channel(const HostView& values, std::int64_t samples, std::int64_t channels, std::int64_t points,
                       std::vector<std::int64_t>& counts) {
  for (std::int64_t s = 0; s < samples; ++s)
    for (std::int64_t c = 0; c < channels; ++c)
      counts[static_cast<std::size_t>(c)] +=
          count_non_finite(values.data() + (s * channels + c) * points, points).total();
}

}  // namespace

double RolloutCurves::mean(std::size_t step, std::int64_t channel) const {
  const auto& v = vrmse.at(step);
  const auto channels = static_cast<std::int64_t>(non_finite.size());
  double sum = 0;
  std::int64_t count = 0;
  for (std::size_t i = 0; i < v.size(); ++i)
    if (channel < 0 || static_cast<std::int64_t>(i) % channels == channel) {
      sum += v[i];
      ++count;
    }
  return count ? sum / static_cast<double>(count) : std::nan("");
}

template <class ExecSpace>
RolloutResult evaluate_rollout(const datasets::WindowedDataset& trajectories,
                               const std::shared_ptr<surrogates::Model<ExecSpace>>& model, const EvaluationSetup& setup,
                               const RolloutOptions& options) {
  using View = typename surrogates::Model<ExecSpace>::View;
  setup.check();
  check_model_fits(trajectories, model->spatial_dims(), model->in_channels(), model->out_channels());
  const std::int64_t total =
      options.max_samples >= 0 ? std::min(options.max_samples, trajectories.size()) : trajectories.size();
  if (total < 1) throw Error("no trajectories to roll out (empty split?)");
  const auto start_time = std::chrono::steady_clock::now();

  const ExecSpace exec;
  const auto& shape = trajectories.info().spatial_shape;
  const int ti = trajectories.spec().n_steps_input;
  const std::int64_t channels = trajectories.channels(), constants = trajectories.constant_channels();
  const std::int64_t points = trajectories.points();
  const int steps = trajectories.output_steps();
  const auto order = static_cast<std::int64_t>(setup.elements.size());

  AveragedModel<ExecSpace> averaged(model, setup.grid, setup.input, setup.output, setup.elements);
  const GroupAction<ExecSpace> input_action(setup.grid, setup.input, setup.elements);
  std::vector<GroupElement> inverses;
  for (const auto& g : setup.elements)
    inverses.push_back(inverse(g));
  const GroupAction<ExecSpace> inverse_output(setup.grid, setup.output, inverses);
  const GroupAction<ExecSpace> output_action(setup.grid, setup.output, setup.elements);

  WindowBatchReader reader(trajectories);
  const std::int64_t cin = reader.input_channels();
  const std::int64_t batch =
      windows_per_call(options.batch, total, std::max<std::int64_t>(order, steps), (cin + channels) * points);
  const std::int64_t in_size = batch * cin * points, out_size = batch * channels * points;
  View x0("rollout inputs", static_cast<std::size_t>(in_size)), xa("averaged rollout inputs", x0.extent(0));
  View xg("independent rollout inputs", static_cast<std::size_t>(order * in_size));
  View yg("independent rollout outputs", static_cast<std::size_t>(order * out_size));
  View target("rollout targets", static_cast<std::size_t>(steps * out_size));
  View ya("averaged prediction", static_cast<std::size_t>(out_size)), yi("independent average", ya.extent(0)),
      back("mapped back", ya.extent(0));
  auto hx = Kokkos::create_mirror_view(x0);
  auto ht = Kokkos::create_mirror_view(target);

  RolloutResult r;
  r.steps = steps;
  r.channels = channels;
  for (auto* curves : {&r.baseline, &r.averaged_each_step, &r.independent_average}) {
    curves->vrmse.assign(static_cast<std::size_t>(steps), {});
    curves->non_finite.assign(static_cast<std::size_t>(channels), 0);
  }
  std::vector<double> defect_sum(static_cast<std::size_t>(steps), 0.0);
  r.baseline_defect_per_element.assign(static_cast<std::size_t>(order),
                                       std::vector<double>(static_cast<std::size_t>(steps), 0.0));
  r.subgroups.resize(setup.subgroups.size());
  for (auto& curves : r.subgroups) {
    curves.vrmse.assign(static_cast<std::size_t>(steps), {});
    curves.non_finite.assign(static_cast<std::size_t>(channels), 0);
  }
  std::vector<std::vector<double>> subgroup_sums(setup.subgroups.size());
  r.baseline_defect_max.assign(static_cast<std::size_t>(steps), 0.0);
  std::int64_t defect_count = 0;

  if (options.progress) options.progress(0, total);
  for (std::int64_t begin = 0; begin < total; begin += batch) {
    const std::int64_t n = std::min(batch, total - begin);
    const std::int64_t size = n * channels * points;
    reader.read(begin, n, hx.data(), ht.data());
    r.origins.insert(r.origins.end(), reader.origins().begin(), reader.origins().end());
    Kokkos::deep_copy(x0, hx);
    Kokkos::deep_copy(target, ht);
    // Independent rollouts: the |G|·n transformed starts, element-major; element 0 (the
    // identity) is the baseline rollout itself.
    const auto xgs = range(xg, 0, order * n * cin * points), ygs = range(yg, 0, order * size);
    input_action.template apply_all<float>(range(x0, 0, n * cin * points), n, xgs, exec);
    Kokkos::deep_copy(range(xa, 0, n * cin * points), range(x0, 0, n * cin * points));
    for (int k = 0; k < steps; ++k) {
      const auto tk = range(target, k * size, (k + 1) * size);
      model->forward(xgs, order * n, shape, ygs, exec);
      const auto baseline = range(yg, 0, size);
      output_action.template average_inverse<float>(ygs, n, range(yi, 0, size), exec);
      averaged.forward(range(xa, 0, n * cin * points), n, shape, range(ya, 0, size), exec);

      auto& bk = r.baseline.vrmse[static_cast<std::size_t>(k)];
      auto& ak = r.averaged_each_step.vrmse[static_cast<std::size_t>(k)];
      auto& ik = r.independent_average.vrmse[static_cast<std::size_t>(k)];
      const auto append = [](std::vector<double>& to, const std::vector<double>& from) {
        to.insert(to.end(), from.begin(), from.end());
      };
      append(bk, vrmse_of(spatial_metrics<ExecSpace>(baseline, tk, n, channels, points, exec)));
      append(ak, vrmse_of(spatial_metrics<ExecSpace>(range(ya, 0, size), tk, n, channels, points, exec)));
      append(ik, vrmse_of(spatial_metrics<ExecSpace>(range(yi, 0, size), tk, n, channels, points, exec)));
      const auto hb = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), baseline);
      count_per_channel(hb, n, channels, points, r.baseline.non_finite);
      count_per_channel(Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), range(ya, 0, size)), n, channels,
                        points, r.averaged_each_step.non_finite);
      count_per_channel(Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), range(yi, 0, size)), n, channels,
                        points, r.independent_average.non_finite);

      for (auto& sums : subgroup_sums)
        sums.assign(static_cast<std::size_t>(size), 0.0);
      for (std::int64_t e = 0; e < order; ++e) {
        inverse_output.template apply<float>(static_cast<std::size_t>(e), range(yg, e * size, (e + 1) * size), n,
                                             range(back, 0, size), exec);
        const auto hback = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), range(back, 0, size));
        for (std::size_t h = 0; h < setup.subgroups.size(); ++h) {
          const auto& members = setup.subgroups[h].elements;
          if (std::find(members.begin(), members.end(), static_cast<std::size_t>(e)) == members.end()) continue;
          for (std::int64_t i = 0; i < size; ++i)
            subgroup_sums[h][static_cast<std::size_t>(i)] += hback(static_cast<std::size_t>(i));
        }
        if (e == 0) continue;
        for (std::int64_t s = 0; s < n; ++s) {
          const double d =
              relative_l2(hback.data() + s * channels * points, hb.data() + s * channels * points, 0, channels, points);
          defect_sum[static_cast<std::size_t>(k)] += d;
          r.baseline_defect_per_element[static_cast<std::size_t>(e)][static_cast<std::size_t>(k)] += d;
          auto& worst = r.baseline_defect_max[static_cast<std::size_t>(k)];
          worst = std::isnan(d) || d > worst ? d : worst;
        }
      }
      for (std::size_t h = 0; h < setup.subgroups.size(); ++h) {
        auto hsub = Kokkos::create_mirror_view(range(back, 0, size));
        const double weight = 1.0 / static_cast<double>(setup.subgroups[h].elements.size());
        for (std::int64_t i = 0; i < size; ++i)
          hsub(static_cast<std::size_t>(i)) =
              static_cast<float>(subgroup_sums[h][static_cast<std::size_t>(i)] * weight);
        Kokkos::deep_copy(range(back, 0, size), hsub);
        append(r.subgroups[h].vrmse[static_cast<std::size_t>(k)],
               vrmse_of(spatial_metrics<ExecSpace>(range(back, 0, size), tk, n, channels, points, exec)));
        count_per_channel(hsub, n, channels, points, r.subgroups[h].non_finite);
      }
      push_prediction<ExecSpace>(xgs, ygs, order * n, ti, channels, constants, points, exec);
      push_prediction<ExecSpace>(range(xa, 0, n * cin * points), range(ya, 0, size), n, ti, channels, constants, points,
                                 exec);
    }
    defect_count += n * (order - 1);
    if (options.progress) options.progress(begin + n, total);
  }
  r.samples = total;
  for (auto& per_step : r.baseline_defect_per_element)
    for (auto& v : per_step)
      v /= static_cast<double>(total);
  r.baseline_defect_mean.resize(static_cast<std::size_t>(steps));
  for (int k = 0; k < steps; ++k)
    r.baseline_defect_mean[static_cast<std::size_t>(k)] =
        defect_count ? defect_sum[static_cast<std::size_t>(k)] / static_cast<double>(defect_count) : 0.0;
  exec.fence();
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
  return r;
}

#define GAVEL_INSTANTIATE_ROLLOUT(SPACE)                                                           \
  template RolloutResult evaluate_rollout<SPACE>(const datasets::WindowedDataset&,                 \
                                                 const std::shared_ptr<surrogates::Model<SPACE>>&, \
                                                 const EvaluationSetup&, const RolloutOptions&);
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_ROLLOUT)

}  // namespace gavel::eval
