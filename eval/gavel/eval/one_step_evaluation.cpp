#include "gavel/eval/one_step_evaluation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/core/group_action.hpp"
#include "gavel/eval/averaged_model.hpp"
#include "gavel/eval/batch_size.hpp"
#include "gavel/eval/figure_slice.hpp"
#include "gavel/eval/timed_model.hpp"
#include "gavel/eval/window_batch.hpp"

namespace gavel::eval {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::vector<GroupElement> inverses_of(const std::vector<GroupElement>& elements) {
  std::vector<GroupElement> out;
  for (const auto& g : elements)
    out.push_back(inverse(g));
  return out;
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

void count_per_channel(const float* values, std::int64_t samples, std::int64_t channels, std::int64_t points,
                       std::vector<std::int64_t>& counts) {
  for (std::int64_t s = 0; s < samples; ++s)
    for (std::int64_t c = 0; c < channels; ++c)
      counts[static_cast<std::size_t>(c)] += count_non_finite(values + (s * channels + c) * points, points).total();
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
  const std::int64_t total = options.max_samples >= 0 ? std::min(options.max_samples, windows.size()) : windows.size();
  if (total < 1) throw Error("no windows to evaluate (empty split?)");

  const ExecSpace exec;
  const auto& shape = windows.info().spatial_shape;
  const std::int64_t channels = windows.channels(), points = windows.points();
  const std::size_t order = setup.elements.size();
  const auto fields = setup.output_fields();

  auto timed = std::make_shared<TimedModel<ExecSpace>>(model);
  AveragedModel<ExecSpace> averaged(timed, setup.grid, setup.input, setup.output, setup.elements);
  const GroupAction<ExecSpace> input_action(setup.grid, setup.input, setup.elements);
  const GroupAction<ExecSpace> inverse_output(setup.grid, setup.output, inverses_of(setup.elements));

  WindowBatchReader reader(windows);
  const std::int64_t cin = reader.input_channels();
  const std::int64_t batch =
      windows_per_call(options.batch, total, static_cast<std::int64_t>(order), (cin + channels) * points);
  const std::int64_t out_size = batch * channels * points;
  View x("inputs", static_cast<std::size_t>(batch * cin * points)), gx("transformed inputs", x.extent(0));
  View target("targets", static_cast<std::size_t>(out_size)), yb("baseline", target.extent(0)),
      ya("averaged", target.extent(0)), back("mapped back", target.extent(0)), scratch("scratch", target.extent(0));
  auto hx = Kokkos::create_mirror_view(x);
  auto ht = Kokkos::create_mirror_view(target);
  auto hback = Kokkos::create_mirror_view(back);

  OneStepResult r;
  r.baseline = ModeMetrics(channels);
  r.averaged = ModeMetrics(channels);
  r.elements.assign(order, ModeMetrics(channels));
  r.subgroups.assign(setup.subgroups.size(), ModeMetrics(channels));
  r.baseline_defect.assign(order, {});
  r.averaged_defect.assign(setup.defect_elements.size(), {});
  r.averaged_defect_elements = setup.defect_elements;
  r.non_finite_baseline.assign(static_cast<std::size_t>(channels), 0);
  r.non_finite_averaged.assign(static_cast<std::size_t>(channels), 0);
  std::vector<std::vector<double>> subgroup_sums(setup.subgroups.size());
  std::vector<float> subgroup_average;

  if (options.progress) options.progress(0, total);
  for (std::int64_t start = 0; start < total; start += batch) {
    const std::int64_t n = std::min(batch, total - start);
    const std::int64_t size = n * channels * points;
    reader.read(start, n, hx.data(), ht.data());
    r.origins.insert(r.origins.end(), reader.origins().begin(), reader.origins().end());
    Kokkos::deep_copy(x, hx);
    Kokkos::deep_copy(target, ht);
    const auto xs = first(x, n * cin * points);
    const auto ts = first(target, size), ybs = first(yb, size), yas = first(ya, size), backs = first(back, size);

    exec.fence();
    const double model_before = timed->seconds();
    const auto clock = Clock::now();
    averaged.forward(xs, n, shape, yas, exec);
    exec.fence();
    r.averaged_seconds += seconds_since(clock);
    const double model_seconds = timed->seconds() - model_before;
    r.averaged_model_seconds += model_seconds;
    // The baseline f(x) is the identity's block of the averaged call (element 0): |G| model
    // copies per batch, not |G| + 1. Its time is the model's share of one copy.
    const auto outputs = averaged.element_outputs();
    Kokkos::deep_copy(exec, ybs, block(outputs, 0, size));
    r.baseline_seconds += model_seconds / static_cast<double>(order);

    r.baseline.append(spatial_metrics<ExecSpace>(ybs, ts, n, channels, points, exec));
    r.averaged.append(spatial_metrics<ExecSpace>(yas, ts, n, channels, points, exec));
    const auto hb = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), ybs);
    const auto ha = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), yas);
    r.baseline.append_spectral(binned_spectral_metrics(hb.data(), ht.data(), n, channels, shape));
    r.averaged.append_spectral(binned_spectral_metrics(ha.data(), ht.data(), n, channels, shape));
    for (std::int64_t s = 0; s < n; ++s) {
      const auto offset = s * channels * points;
      r.baseline.append_pdebench(pdebench_metrics(hb.data() + offset, ht.data() + offset, 1, 1, channels, shape));
      r.averaged.append_pdebench(pdebench_metrics(ha.data() + offset, ht.data() + offset, 1, 1, channels, shape));
    }
    count_per_channel(hb.data(), n, channels, points, r.non_finite_baseline);
    count_per_channel(ha.data(), n, channels, points, r.non_finite_averaged);

    // Per element: g⁻¹·f(g·x) from the averaged call's own outputs.
    for (auto& sums : subgroup_sums)
      sums.assign(static_cast<std::size_t>(size), 0.0);
    for (std::size_t e = 0; e < order; ++e) {
      inverse_output.template apply<float>(e, block(outputs, static_cast<std::int64_t>(e), size), n, backs, exec);
      r.elements[e].append_vrmse(spatial_metrics<ExecSpace>(backs, ts, n, channels, points, exec));
      Kokkos::deep_copy(hback, back);
      for (std::int64_t s = 0; s < n; ++s)
        for (const auto& f : fields)
          r.baseline_defect[e].push_back(relative_l2(hback.data() + s * channels * points,
                                                     hb.data() + s * channels * points, f.first, f.count, points));
      for (std::size_t h = 0; h < setup.subgroups.size(); ++h) {
        const auto& members = setup.subgroups[h].elements;
        if (std::find(members.begin(), members.end(), e) == members.end()) continue;
        auto& sums = subgroup_sums[h];
        for (std::int64_t i = 0; i < size; ++i)
          sums[static_cast<std::size_t>(i)] += hback(static_cast<std::size_t>(i));
      }
    }
    for (std::size_t h = 0; h < setup.subgroups.size(); ++h) {
      const double weight = 1.0 / static_cast<double>(setup.subgroups[h].elements.size());
      for (std::int64_t i = 0; i < size; ++i)
        hback(static_cast<std::size_t>(i)) = static_cast<float>(subgroup_sums[h][static_cast<std::size_t>(i)] * weight);
      Kokkos::deep_copy(back, hback);
      r.subgroups[h].append_vrmse(spatial_metrics<ExecSpace>(backs, ts, n, channels, points, exec));
    }

    // The averaged model's own defect: g⁻¹·f_G(g·x) against f_G(x), through the whole pipeline,
    // for the checked elements (the group's generators unless all were asked for).
    const std::int64_t checks = std::min(n, options.defect_samples - r.defect_checked_samples);
    if (checks > 0) {
      const std::int64_t check_size = checks * channels * points;
      for (std::size_t k = 0; k < setup.defect_elements.size(); ++k) {
        const std::size_t e = setup.defect_elements[k];
        input_action.template apply<float>(e, first(x, checks * cin * points), checks, first(gx, checks * cin * points),
                                           exec);
        averaged.forward(first(gx, checks * cin * points), checks, shape, first(scratch, check_size), exec);
        inverse_output.template apply<float>(e, first(scratch, check_size), checks, first(back, check_size), exec);
        Kokkos::deep_copy(hback, back);
        for (std::int64_t s = 0; s < checks; ++s)
          for (const auto& f : fields)
            r.averaged_defect[k].push_back(relative_l2(hback.data() + s * channels * points,
                                                       ha.data() + s * channels * points, f.first, f.count, points));
      }
      r.defect_checked_samples += checks;
    }

    for (std::int64_t s = 0; s < n && start + s < options.figure_samples; ++s)
      for (std::int64_t c = 0; c < channels; ++c) {
        FigureSample figure;
        figure.window = start + s;
        figure.channel = c;
        const auto offset = (s * channels + c) * points;
        figure.target = figure_slice(ht.data() + offset, shape, figure.shape);
        figure.baseline = figure_slice(hb.data() + offset, shape, figure.shape);
        figure.averaged = figure_slice(ha.data() + offset, shape, figure.shape);
        r.figures.push_back(std::move(figure));
      }
    if (options.progress) options.progress(start + n, total);
  }
  r.replaced_in_inputs = reader.replaced_in_inputs;
  r.replaced_in_targets = reader.replaced_in_targets;
  return r;
}

#define GAVEL_INSTANTIATE_ONE_STEP(SPACE)                                                           \
  template OneStepResult evaluate_one_step<SPACE>(const datasets::WindowedDataset&,                 \
                                                  const std::shared_ptr<surrogates::Model<SPACE>>&, \
                                                  const EvaluationSetup&, const OneStepOptions&);
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_ONE_STEP)

}  // namespace gavel::eval
