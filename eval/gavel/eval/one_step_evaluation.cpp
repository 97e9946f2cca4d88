#include "gavel/eval/one_step_evaluation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/core/group_action.hpp"
#include "gavel/eval/averaged_model.hpp"
#include "gavel/eval/batch_size.hpp"
#include "gavel/eval/batch_spectra.hpp"
#include "gavel/eval/element_batch_step.hpp"
#include "gavel/eval/memory_budget.hpp"
#include "gavel/eval/timed_model.hpp"
#include "gavel/eval/window_batch.hpp"
#include "gavel/metrics/field_reductions.hpp"

namespace gavel::eval {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

template <class View>
View first(const View& view, std::int64_t size) {
  return Kokkos::subview(view, std::make_pair(std::size_t{0}, static_cast<std::size_t>(size)));
}

template <class View>
View block(const View& view, std::int64_t index, std::int64_t size) {
  return Kokkos::subview(
      view, std::make_pair(static_cast<std::size_t>(index * size), static_cast<std::size_t>((index + 1) * size)));
}

}  // namespace

template <class ExecSpace>
OneStepResult evaluate_one_step(const datasets::WindowedDataset& windows,
                                const std::shared_ptr<surrogates::Model<ExecSpace>>& model,
                                const EvaluationSetup& setup, const OneStepOptions& options) {
  using View = typename surrogates::Model<ExecSpace>::View;
  setup.check();
  check_model_fits(windows, model->spatial_dims(), model->in_channels(), model->out_channels());
  if (windows.output_steps() != 1) throw Error("one-step evaluation needs windows with one output step");
  if (options.batch < 1) throw Error("--batch " + std::to_string(options.batch) + ": must be at least 1");
  const std::int64_t total = options.max_samples >= 0 ? std::min(options.max_samples, windows.size()) : windows.size();
  if (total < 1) throw Error("no windows to evaluate (empty split?)");

  const ExecSpace exec;
  const auto& shape = windows.info().spatial_shape;
  const std::int64_t channels = windows.channels(), points = windows.points();
  const std::size_t order = setup.elements.size();
  const auto fields = setup.output_fields();
  std::vector<std::pair<std::int64_t, std::int64_t>> field_ranges;
  for (const auto& f : fields)
    field_ranges.emplace_back(f.first, f.count);

  WindowBatchReader reader(windows);
  const std::int64_t cin = reader.input_channels();
  const auto subgroup_count = static_cast<std::int64_t>(setup.subgroups.size());

  // Memory: the batch's own buffers (inputs ×2, targets, baseline, average, mapped-back,
  // scratch, chunk average, one sum per subgroup) per window; one transformed input and its
  // output per model sample; the model's workspace for a call; its parameters.
  AveragingFootprint footprint;
  footprint.group_order = static_cast<std::int64_t>(order);
  footprint.fixed_bytes = std::max(static_cast<std::int64_t>(model->parameter_bytes()), options.memory_in_use);
  footprint.bytes_per_window =
      static_cast<std::int64_t>(sizeof(float)) * points * (2 * cin + (6 + subgroup_count) * channels);
  // The spectral and PDEBench metrics' chunk buffers, their reduced numbers and the figure slices.
  const auto spectra_scratch = batch_spectra_scratch<ExecSpace>(channels, shape, options.figure_samples);
  footprint.fixed_bytes += spectra_scratch.fixed_bytes;
  footprint.bytes_per_window += spectra_scratch.bytes_per_sample;
  footprint.bytes_per_copy = static_cast<std::int64_t>(sizeof(float)) * points * (cin + channels);
  footprint.model_workspace = [&](std::int64_t samples) {
    return static_cast<std::int64_t>(model->workspace_bytes(samples, shape));
  };
  const std::int64_t budget = options.memory_budget > 0 ? options.memory_budget : default_memory_budget<ExecSpace>();
  const AveragingPlan plan = plan_averaging(footprint, options.batch, total, budget);
  const std::int64_t batch =
      windows_per_call(plan.windows_per_call, total, plan.elements_per_call, (cin + channels) * points);

  auto timed = std::make_shared<TimedModel<ExecSpace>>(model);
  AveragedModel<ExecSpace> averaged(timed, setup.grid, setup.input, setup.output, setup.elements);
  averaged.set_elements_per_call(static_cast<std::size_t>(plan.elements_per_call));
  const GroupAction<ExecSpace> input_action(setup.grid, setup.input, setup.elements);

  const std::int64_t out_size = batch * channels * points;
  View x("inputs", static_cast<std::size_t>(batch * cin * points)), gx("transformed inputs", x.extent(0));
  View target("targets", static_cast<std::size_t>(out_size)), yb("baseline", target.extent(0)),
      ya("averaged", target.extent(0)), scratch("scratch", target.extent(0));
  ElementBatchStep<ExecSpace> step(setup, batch, channels, points);
  auto hx = Kokkos::create_mirror_view(x);
  auto ht = Kokkos::create_mirror_view(target);

  OneStepResult r;
  r.footprint.plan = plan;
  HostTransfers* transfers = &r.footprint.transfers;
  r.baseline = ModeMetrics(channels);
  r.averaged = ModeMetrics(channels);
  r.elements.assign(order, ModeMetrics(channels));
  r.subgroups.assign(setup.subgroups.size(), ModeMetrics(channels));
  r.baseline_defect.assign(order, {});
  r.averaged_defect.assign(setup.defect_elements.size(), {});
  r.averaged_defect_elements = setup.defect_elements;
  r.non_finite_baseline.assign(static_cast<std::size_t>(channels), 0);
  r.non_finite_averaged.assign(static_cast<std::size_t>(channels), 0);

  if (options.progress) options.progress(0, total);
  for (std::int64_t start = 0; start < total; start += batch) {
    const std::int64_t n = std::min(batch, total - start);
    const std::int64_t size = n * channels * points;
    reader.read(start, n, hx.data(), ht.data());
    r.origins.insert(r.origins.end(), reader.origins().begin(), reader.origins().end());
    Kokkos::deep_copy(x, hx);
    Kokkos::deep_copy(target, ht);
    const auto xs = first(x, n * cin * points);
    const auto ts = first(target, size), ybs = first(yb, size), yas = first(ya, size);

    // Per element, while its chunk's outputs exist: g⁻¹·f(g·x), its score, its defect against the
    // baseline f(x) — the identity's (element 0's) output, so |G| model copies per batch, not
    // |G| + 1 — and the subgroup sums, all on the execution space.
    double consumer_seconds = 0;
    const auto consume = [&](std::size_t first_element, std::size_t count, const View& outputs) {
      exec.fence();
      const auto clock = Clock::now();
      if (first_element == 0) Kokkos::deep_copy(exec, ybs, block(outputs, 0, size));
      for (std::size_t e = first_element; e < first_element + count; ++e) {
        step.map_back(e, block(outputs, static_cast<std::int64_t>(e - first_element), size), n, exec);
        const auto back = step.mapped_back(n);
        r.elements[e].append_vrmse(spatial_metrics<ExecSpace>(back, ts, n, channels, points, exec, transfers));
        const auto defects =
            relative_l2_per_field<ExecSpace>(back, ybs, n, channels, points, field_ranges, exec, transfers);
        r.baseline_defect[e].insert(r.baseline_defect[e].end(), defects.begin(), defects.end());
      }
      exec.fence();
      consumer_seconds += seconds_since(clock);
    };

    exec.fence();
    const double model_before = timed->seconds();
    const auto clock = Clock::now();
    averaged.forward(xs, n, shape, yas, consume, exec);
    exec.fence();
    r.averaged_seconds += seconds_since(clock) - consumer_seconds;
    const double model_seconds = timed->seconds() - model_before;
    r.averaged_model_seconds += model_seconds;
    r.baseline_seconds += model_seconds / static_cast<double>(order);

    const auto baseline_metrics = spatial_metrics<ExecSpace>(ybs, ts, n, channels, points, exec, transfers);
    const auto averaged_metrics = spatial_metrics<ExecSpace>(yas, ts, n, channels, points, exec, transfers);
    r.baseline.append(baseline_metrics);
    r.averaged.append(averaged_metrics);
    baseline_metrics.add_non_finite_per_channel(r.non_finite_baseline);
    averaged_metrics.add_non_finite_per_channel(r.non_finite_averaged);
    for (std::size_t h = 0; h < setup.subgroups.size(); ++h)
      r.subgroups[h].append_vrmse(
          spatial_metrics<ExecSpace>(step.subgroup_average(h, n), ts, n, channels, points, exec, transfers));

    // The spectral and PDEBench metrics and the figure slices, on the execution space: only
    // reduced numbers and the slices cross to the host (batch_spectra.hpp).
    BatchFields<ExecSpace> spectra_batch{ybs, yas, ts, ht.data(), start, n, channels, shape};
    score_batch_spectra<ExecSpace>(spectra_batch, options.figure_samples, exec, r);

    // The averaged model's own defect: g⁻¹·f_G(g·x) against f_G(x), through the whole pipeline,
    // for the checked elements (the group's generators unless all were asked for), relative to
    // ‖f(x)‖ — the size of the terms f_G averages, so the scale of its float rounding: where f_G
    // cancels a field almost to zero (a random model's axial output under O_h), ‖f_G(x)‖ would
    // turn that rounding into a large "defect" (eval/README.md).
    const std::int64_t checks = std::min(n, options.defect_samples - r.defect_checked_samples);
    if (checks > 0) {
      const std::int64_t check_size = checks * channels * points;
      for (std::size_t k = 0; k < setup.defect_elements.size(); ++k) {
        const std::size_t e = setup.defect_elements[k];
        input_action.template apply<float>(e, first(x, checks * cin * points), checks, first(gx, checks * cin * points),
                                           exec);
        averaged.forward(first(gx, checks * cin * points), checks, shape, first(scratch, check_size), exec);
        const auto back = step.map_back_alone(e, first(scratch, check_size), checks, exec);
        const auto defects = relative_l2_per_field<ExecSpace>(back, first(ya, check_size), first(yb, check_size),
                                                              checks, channels, points, field_ranges, exec, transfers);
        r.averaged_defect[k].insert(r.averaged_defect[k].end(), defects.begin(), defects.end());
      }
      r.defect_checked_samples += checks;
    }

    if (options.progress) options.progress(start + n, total);
  }
  r.replaced_in_inputs = reader.replaced_in_inputs;
  r.replaced_in_targets = reader.replaced_in_targets;
  r.footprint.peak_resident_bytes = peak_resident_bytes();
  return r;
}

#define GAVEL_INSTANTIATE_ONE_STEP(SPACE)                                                           \
  template OneStepResult evaluate_one_step<SPACE>(const datasets::WindowedDataset&,                 \
                                                  const std::shared_ptr<surrogates::Model<SPACE>>&, \
                                                  const EvaluationSetup&, const OneStepOptions&);
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_ONE_STEP)

}  // namespace gavel::eval
