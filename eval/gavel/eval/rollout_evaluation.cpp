#include "gavel/eval/rollout_evaluation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/core/group_action.hpp"
#include "gavel/eval/averaged_model.hpp"
#include "gavel/eval/batch_size.hpp"
#include "gavel/eval/element_batch_step.hpp"
#include "gavel/eval/memory_budget.hpp"
#include "gavel/eval/rollout_inputs.hpp"
#include "gavel/eval/window_batch.hpp"
#include "gavel/metrics/field_reductions.hpp"
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

  WindowBatchReader reader(trajectories);
  const std::int64_t cin = reader.input_channels();
  const auto subgroup_count = static_cast<std::int64_t>(setup.subgroups.size());
  // Memory per trajectory: the |G| independent rollout states and outputs, the averaged state,
  // every step's targets, the averaged and independent predictions, the mapped-back and chunk
  // buffers and one sum per subgroup; per model sample one transformed input and its output.
  AveragingFootprint footprint;
  footprint.group_order = order;
  footprint.fixed_bytes = std::max(static_cast<std::int64_t>(model->parameter_bytes()), options.memory_in_use);
  footprint.bytes_per_window = static_cast<std::int64_t>(sizeof(float)) * points *
                               (cin * (2 + order) + channels * (order + steps + 4 + subgroup_count));
  footprint.bytes_per_copy = static_cast<std::int64_t>(sizeof(float)) * points * (cin + channels);
  footprint.model_workspace = [&](std::int64_t samples) {
    return static_cast<std::int64_t>(model->workspace_bytes(samples, shape));
  };
  const std::int64_t budget = options.memory_budget > 0 ? options.memory_budget : default_memory_budget<ExecSpace>();
  const AveragingPlan plan = plan_averaging(footprint, options.batch, total, budget);
  const std::int64_t batch =
      windows_per_call(plan.windows_per_call, total, std::max<std::int64_t>(order, steps), (cin + channels) * points);
  const std::int64_t per_call = plan.elements_per_call;

  AveragedModel<ExecSpace> averaged(model, setup.grid, setup.input, setup.output, setup.elements);
  averaged.set_elements_per_call(static_cast<std::size_t>(per_call));
  const GroupAction<ExecSpace> input_action(setup.grid, setup.input, setup.elements);
  const GroupAction<ExecSpace> output_action(setup.grid, setup.output, setup.elements);

  const std::int64_t in_size = batch * cin * points, out_size = batch * channels * points;
  View x0("rollout inputs", static_cast<std::size_t>(in_size)), xa("averaged rollout inputs", x0.extent(0));
  View xg("independent rollout inputs", static_cast<std::size_t>(order * in_size));
  View yg("independent rollout outputs", static_cast<std::size_t>(order * out_size));
  View target("rollout targets", static_cast<std::size_t>(steps * out_size));
  View ya("averaged prediction", static_cast<std::size_t>(out_size)), yi("independent average", ya.extent(0));
  ElementBatchStep<ExecSpace> step(setup, batch, channels, points);
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
  r.footprint.plan = plan;
  HostTransfers* transfers = &r.footprint.transfers;
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
      // The independent rollouts' model calls in chunks of per_call elements, as the averaged model's.
      for (std::int64_t e0 = 0; e0 < order; e0 += per_call) {
        const std::int64_t count = std::min(per_call, order - e0);
        model->forward(range(xg, e0 * n * cin * points, (e0 + count) * n * cin * points), count * n, shape,
                       range(yg, e0 * size, (e0 + count) * size), exec);
      }
      const auto baseline = range(yg, 0, size);
      output_action.template average_inverse<float>(ygs, n, range(yi, 0, size), exec);
      averaged.forward(range(xa, 0, n * cin * points), n, shape, range(ya, 0, size), exec);

      auto& bk = r.baseline.vrmse[static_cast<std::size_t>(k)];
      auto& ak = r.averaged_each_step.vrmse[static_cast<std::size_t>(k)];
      auto& ik = r.independent_average.vrmse[static_cast<std::size_t>(k)];
      const auto append = [](std::vector<double>& to, const std::vector<double>& from) {
        to.insert(to.end(), from.begin(), from.end());
      };
      const auto score = [&](const View& prediction, std::vector<double>& curve, std::vector<std::int64_t>& counts) {
        const auto m = spatial_metrics<ExecSpace>(prediction, tk, n, channels, points, exec, transfers);
        append(curve, vrmse_of(m));
        m.add_non_finite_per_channel(counts);
      };
      score(baseline, bk, r.baseline.non_finite);
      score(range(ya, 0, size), ak, r.averaged_each_step.non_finite);
      score(range(yi, 0, size), ik, r.independent_average.non_finite);

      const std::vector<std::pair<std::int64_t, std::int64_t>> all_channels = {{0, channels}};
      for (std::int64_t e = 0; e < order; ++e) {
        step.map_back(static_cast<std::size_t>(e), range(yg, e * size, (e + 1) * size), n, exec);
        if (e == 0) continue;  // the identity's defect is 0 by definition
        const auto defects = relative_l2_per_field<ExecSpace>(step.mapped_back(n), baseline, n, channels, points,
                                                              all_channels, exec, transfers);
        for (const double d : defects) {
          defect_sum[static_cast<std::size_t>(k)] += d;
          r.baseline_defect_per_element[static_cast<std::size_t>(e)][static_cast<std::size_t>(k)] += d;
          auto& worst = r.baseline_defect_max[static_cast<std::size_t>(k)];
          worst = std::isnan(d) || d > worst ? d : worst;
        }
      }
      for (std::size_t h = 0; h < setup.subgroups.size(); ++h)
        score(step.subgroup_average(h, n), r.subgroups[h].vrmse[static_cast<std::size_t>(k)],
              r.subgroups[h].non_finite);
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
  r.footprint.peak_resident_bytes = peak_resident_bytes();
  return r;
}

#define GAVEL_INSTANTIATE_ROLLOUT(SPACE)                                                           \
  template RolloutResult evaluate_rollout<SPACE>(const datasets::WindowedDataset&,                 \
                                                 const std::shared_ptr<surrogates::Model<SPACE>>&, \
                                                 const EvaluationSetup&, const RolloutOptions&);
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_ROLLOUT)

}  // namespace gavel::eval
