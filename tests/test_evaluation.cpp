// The evaluation engine against explicit computations: one-step metrics, per-element scores,
// equivariance defects, subgroup averages and rollouts of models with known behaviour.
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <cmath>
#include <limits>
#include <memory>

#include "evaluation_models.hpp"
#include "gavel/core/admissible_group.hpp"
#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/group_action.hpp"
#include "gavel/core/subgroups.hpp"
#include "gavel/datasets/model_input.hpp"
#include "gavel/eval/batch_spectra.hpp"
#include "gavel/eval/group_choice.hpp"
#include "gavel/eval/normalization_audit.hpp"
#include "gavel/eval/one_step_evaluation.hpp"
#include "gavel/eval/rollout_evaluation.hpp"
#include "gavel/eval/rollout_inputs.hpp"
#include "random_well_source.hpp"
#include "test_support.hpp"

using namespace gavel;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

constexpr int kSteps = 2;

/// A periodic 8×8 dataset (2 trajectories of 7 steps) with scalar, pseudoscalar, vector, tensor
/// and constant fields, fresh random values.
datasets::WindowedDataset random_windows(unsigned seed, datasets::WindowSpec spec) {
  const auto info = test::random_well_info({8, 8},
                                           {{BoundaryCondition::periodic, BoundaryCondition::periodic},
                                            {BoundaryCondition::periodic, BoundaryCondition::periodic}},
                                           2, 7);
  auto source = std::make_shared<datasets::MemorySource>(test::random_well_source(info, seed));
  return datasets::WindowedDataset({source}, spec);
}

datasets::WindowSpec one_step_spec() {
  datasets::WindowSpec spec;
  spec.n_steps_input = kSteps;
  return spec;
}

eval::EvaluationSetup setup_for(const datasets::WindowedDataset& windows, bool subgroups) {
  const auto& info = windows.info();
  const Grid grid = info.grid();
  const Group group = admissible_group(grid);
  std::vector<std::size_t> all(group.order());
  for (std::size_t i = 0; i < all.size(); ++i)
    all[i] = i;
  eval::EvaluationSetup setup{grid,
                              info.channel_layout(kSteps),
                              ChannelLayout(2, info.channel_layout(kSteps).fields(), 1),
                              group.elements(),
                              {},
                              small_generating_set(group, all)};
  if (subgroups)
    for (const auto& s : enumerate_subgroups(group))
      setup.subgroups.push_back({s.name, s.elements});
  return setup;
}

/// the_well's VRMSE of one (C, P) channel: sqrt(mean((x−y)²) / (unbiased var(y) + 1e-7)).
double vrmse(const float* x, const float* y, std::int64_t points) {
  double mean = 0, mse = 0;
  for (std::int64_t p = 0; p < points; ++p)
    mean += y[p];
  mean /= static_cast<double>(points);
  double var = 0;
  for (std::int64_t p = 0; p < points; ++p) {
    var += (y[p] - mean) * (y[p] - mean);
    mse += (static_cast<double>(x[p]) - y[p]) * (static_cast<double>(x[p]) - y[p]);
  }
  var /= static_cast<double>(points - 1);
  return std::sqrt(mse / static_cast<double>(points) / (var + 1e-7));
}

/// Channels-first x (Ti·C + Cc, P) and y (C, P) of one window, as the model sees them.
void window_arrays(const datasets::WindowedDataset& windows, std::int64_t index, std::vector<float>& x,
                   std::vector<float>& y) {
  datasets::Window w;
  datasets::ModelInput input;
  windows.read(index, w);
  datasets::format_channels_first(windows, w, input);
  x = input.x;
  const std::int64_t c = windows.channels(), points = windows.points();
  y.assign(static_cast<std::size_t>(c * points), 0.0f);
  for (std::int64_t p = 0; p < points; ++p)
    for (std::int64_t k = 0; k < c; ++k)
      y[static_cast<std::size_t>(k * points + p)] = input.y[static_cast<std::size_t>(p * c + k)];
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("an equivariant model: averaging changes nothing, defects vanish, metrics are the_well's",
                        "[evaluation]", test::ExecutionSpaces) {
  using Exec = TestType;
  const auto windows = random_windows(11, one_step_spec());
  const auto setup = setup_for(windows, true);
  const int c = windows.channels(), cc = windows.constant_channels();
  auto model = std::make_shared<test::PersistenceModel<Exec>>(2, kSteps, c, cc);
  eval::OneStepOptions options;
  options.batch = 3;  // batches of 3, 3, …, the last one shorter
  const auto r = eval::evaluate_one_step<Exec>(windows, model, setup, options);
  REQUIRE(r.baseline.samples == windows.size());
  REQUIRE(r.origins.size() == static_cast<std::size_t>(windows.size()));

  // VRMSE of the persistence prediction, computed by hand for every window and channel.
  const std::int64_t points = windows.points();
  std::vector<float> x, y;
  for (std::int64_t w = 0; w < windows.size(); ++w) {
    window_arrays(windows, w, x, y);
    for (int k = 0; k < c; ++k) {
      const double expected = vrmse(x.data() + ((kSteps - 1) * c + k) * points, y.data() + k * points, points);
      CHECK_THAT(r.baseline.values.at("VRMSE")[static_cast<std::size_t>(w * c + k)], WithinRel(expected, 1e-6));
    }
  }
  CHECK_THAT(r.averaged.mean("VRMSE"), WithinRel(r.baseline.mean("VRMSE"), 1e-6));
  for (const auto& e : r.elements)
    CHECK(e.values.at("VRMSE") == r.baseline.values.at("VRMSE"));  // exact: g⁻¹·f(g·x) = f(x) bit for bit
  for (const auto& d : r.baseline_defect)
    for (const double v : d)
      CHECK(v == 0.0);
  REQUIRE(r.defect_checked_samples == std::min<std::int64_t>(8, windows.size()));
  for (const auto& d : r.averaged_defect)
    for (const double v : d)
      CHECK(v <= 1e-6);
  for (const auto& s : r.subgroups)
    CHECK_THAT(s.mean("VRMSE"), WithinRel(r.baseline.mean("VRMSE"), 1e-6));
  CHECK(r.figures.size() == static_cast<std::size_t>(2 * c));
  CHECK(r.figures.front().shape == std::vector<std::int64_t>{8, 8});
  CHECK(r.baseline.values.count("binned_spectral_mse_bin0") == 1);
}

TEMPLATE_LIST_TEST_CASE("a lopsided model: per-element scores, defects and subgroup averages match explicit ones",
                        "[evaluation]", test::ExecutionSpaces) {
  using Exec = TestType;
  using View = Kokkos::View<float*, typename Exec::memory_space>;
  const auto windows = random_windows(23, one_step_spec());
  const auto setup = setup_for(windows, true);
  const int c = windows.channels(), cc = windows.constant_channels();
  auto model = std::make_shared<test::LopsidedModel<Exec>>(kSteps, c, cc);
  eval::OneStepOptions options;
  options.batch = 4;
  options.defect_samples = 5;
  const auto r = eval::evaluate_one_step<Exec>(windows, model, setup, options);

  // Element 3 by hand: g⁻¹·f(g·x) for every window, scored with the_well's VRMSE.
  const std::size_t e = 3;
  const GroupAction<Exec> in(setup.grid, setup.input, {setup.elements[e]});
  const GroupAction<Exec> back(setup.grid, setup.output, {inverse(setup.elements[e])});
  const std::int64_t points = windows.points();
  std::vector<float> x, y;
  for (std::int64_t w = 0; w < windows.size(); ++w) {
    window_arrays(windows, w, x, y);
    View dx("x", x.size()), gx("gx", x.size()), fy("fy", y.size()), by("by", y.size());
    Kokkos::deep_copy(dx, Kokkos::View<const float*, Kokkos::HostSpace, Kokkos::MemoryUnmanaged>(x.data(), x.size()));
    in.template apply<float>(0, dx, 1, gx);
    model->forward(gx, 1, {8, 8}, fy, Exec());
    back.template apply<float>(0, fy, 1, by);
    const auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), by);
    for (int k = 0; k < c; ++k)
      CHECK_THAT(r.elements[e].values.at("VRMSE")[static_cast<std::size_t>(w * c + k)],
                 WithinRel(vrmse(h.data() + k * points, y.data() + k * points, points), 1e-5));
  }
  double worst_raw = 0;
  for (std::size_t g = 1; g < r.baseline_defect.size(); ++g)
    for (const double v : r.baseline_defect[g])
      worst_raw = std::max(worst_raw, v);
  CHECK(worst_raw > 1e-2);
  // The baseline is the identity's copy of the averaged call: f(x) itself, window by window.
  for (std::int64_t w = 0; w < windows.size(); ++w) {
    window_arrays(windows, w, x, y);
    View dx("x", x.size()), fy("fy", y.size());
    Kokkos::deep_copy(dx, Kokkos::View<const float*, Kokkos::HostSpace, Kokkos::MemoryUnmanaged>(x.data(), x.size()));
    model->forward(dx, 1, {8, 8}, fy, Exec());
    const auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), fy);
    for (int k = 0; k < c; ++k)
      CHECK_THAT(r.baseline.values.at("VRMSE")[static_cast<std::size_t>(w * c + k)],
                 WithinRel(vrmse(h.data() + k * points, y.data() + k * points, points), 1e-5));
  }
  REQUIRE(r.defect_checked_samples == 5);
  // D4's defect is checked on its two generators.
  CHECK(r.averaged_defect_elements == setup.defect_elements);
  REQUIRE(r.averaged_defect.size() == 2);
  for (const auto& d : r.averaged_defect) {
    CHECK(d.size() == static_cast<std::size_t>(5 * setup.output_fields().size()));
    for (const double v : d)
      CHECK(v <= 1e-6);
  }
  // The trivial subgroup is the model itself, the whole group its average.
  REQUIRE(setup.subgroups.front().name == "trivial");
  CHECK_THAT(r.subgroups.front().mean("VRMSE"), WithinRel(r.baseline.mean("VRMSE"), 1e-6));
  CHECK_THAT(r.subgroups.back().mean("VRMSE"), WithinRel(r.averaged.mean("VRMSE"), 1e-5));
  CHECK(r.averaged.mean("VRMSE") != r.baseline.mean("VRMSE"));
}

TEMPLATE_LIST_TEST_CASE("rollouts: persistence by hand; one step of each mode equals the one-step average",
                        "[evaluation][rollout]", test::ExecutionSpaces) {
  using Exec = TestType;
  datasets::WindowSpec spec;
  spec.n_steps_input = kSteps;
  spec.full_trajectory_mode = true;
  const auto trajectories = random_windows(31, spec);
  const auto one_step = random_windows(31, one_step_spec());
  const auto setup = setup_for(trajectories, true);
  const int c = trajectories.channels(), cc = trajectories.constant_channels();
  const std::int64_t points = trajectories.points();
  REQUIRE(trajectories.output_steps() == 5);

  auto persistence = std::make_shared<test::PersistenceModel<Exec>>(2, kSteps, c, cc);
  const auto p = eval::evaluate_rollout<Exec>(trajectories, persistence, setup, {});
  REQUIRE(p.samples == 2);
  // Persistence repeats the last input frame: step k scores it against target step k.
  datasets::Window w;
  datasets::ModelInput input;
  trajectories.read(1, w);
  datasets::format_channels_first(trajectories, w, input);
  for (int k = 0; k < 5; ++k) {
    std::vector<float> target(static_cast<std::size_t>(c * points));
    for (std::int64_t q = 0; q < points; ++q)
      for (int j = 0; j < c; ++j)
        target[static_cast<std::size_t>(j * points + q)] = input.y[static_cast<std::size_t>((k * points + q) * c + j)];
    for (int j = 0; j < c; ++j)
      CHECK_THAT(
          p.baseline.vrmse[static_cast<std::size_t>(k)][static_cast<std::size_t>(c + j)],
          WithinRel(vrmse(input.x.data() + ((kSteps - 1) * c + j) * points, target.data() + j * points, points), 1e-6));
    CHECK_THAT(p.averaged_each_step.mean(static_cast<std::size_t>(k)), WithinRel(p.baseline.mean(k), 1e-6));
    CHECK_THAT(p.independent_average.mean(static_cast<std::size_t>(k)), WithinRel(p.baseline.mean(k), 1e-6));
    CHECK(p.baseline_defect_max[static_cast<std::size_t>(k)] == 0.0);
  }

  auto lopsided = std::make_shared<test::LopsidedModel<Exec>>(kSteps, c, cc);
  const auto r = eval::evaluate_rollout<Exec>(trajectories, lopsided, setup, {});
  // Step 0 of every mode is a one-step prediction from the trajectory's first window.
  eval::OneStepOptions first_windows;
  first_windows.max_samples = 1;
  const auto o = eval::evaluate_one_step<Exec>(one_step, lopsided, setup, first_windows);
  for (int j = 0; j < c; ++j) {
    CHECK_THAT(r.baseline.vrmse[0][static_cast<std::size_t>(j)],
               WithinRel(o.baseline.values.at("VRMSE")[static_cast<std::size_t>(j)], 1e-6));
    CHECK_THAT(r.averaged_each_step.vrmse[0][static_cast<std::size_t>(j)],
               WithinRel(o.averaged.values.at("VRMSE")[static_cast<std::size_t>(j)], 1e-5));
    CHECK_THAT(r.independent_average.vrmse[0][static_cast<std::size_t>(j)],
               WithinRel(o.averaged.values.at("VRMSE")[static_cast<std::size_t>(j)], 1e-5));
  }
  // Subgroup rollouts come from the same |G| rollouts: the trivial one is the model, the whole
  // group the independent average.
  REQUIRE(r.subgroups.size() == setup.subgroups.size());
  for (std::size_t k = 0; k < 5; ++k) {
    CHECK_THAT(r.subgroups.front().mean(k), WithinRel(r.baseline.mean(k), 1e-6));
    CHECK_THAT(r.subgroups.back().mean(k), WithinRel(r.independent_average.mean(k), 1e-5));
  }
  REQUIRE(r.baseline_defect_per_element.size() == setup.elements.size());
  double mean_of_elements = 0;
  for (std::size_t e = 1; e < setup.elements.size(); ++e)
    mean_of_elements += r.baseline_defect_per_element[e][2];
  CHECK_THAT(mean_of_elements / static_cast<double>(setup.elements.size() - 1),
             WithinRel(r.baseline_defect_mean[2], 1e-9));
  // Later steps: averaging each step and averaging whole rollouts are different models.
  CHECK(std::abs(r.averaged_each_step.mean(4) - r.independent_average.mean(4)) > 1e-6);
  CHECK(r.baseline_defect_mean[4] > r.baseline_defect_mean[0] * 0.5);
  CHECK(r.baseline_defect_mean[0] > 1e-2);
}

TEMPLATE_LIST_TEST_CASE("push_prediction drops the oldest step, appends the prediction, keeps constants",
                        "[evaluation][rollout]", test::ExecutionSpaces) {
  using Exec = TestType;
  const int steps = 3;
  const std::int64_t channels = 2, constants = 1, points = 5, batch = 2, cin = steps * channels + constants;
  Kokkos::View<float*, typename Exec::memory_space> x("x", batch * cin * points), y("y", batch * channels * points);
  auto hx = Kokkos::create_mirror_view(x);
  auto hy = Kokkos::create_mirror_view(y);
  for (std::size_t i = 0; i < hx.extent(0); ++i)
    hx(i) = static_cast<float>(i);
  for (std::size_t i = 0; i < hy.extent(0); ++i)
    hy(i) = -static_cast<float>(i) - 1;
  Kokkos::deep_copy(x, hx);
  Kokkos::deep_copy(y, hy);
  // On host spaces the mirrors alias the views: keep the inputs apart.
  const std::vector<float> before(hx.data(), hx.data() + hx.extent(0)), prediction(hy.data(), hy.data() + hy.extent(0));
  eval::push_prediction<Exec>(x, y, batch, steps, channels, constants, points);
  const auto out = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), x);
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::int64_t ch = 0; ch < cin; ++ch)
      for (std::int64_t p = 0; p < points; ++p) {
        const auto i = static_cast<std::size_t>((b * cin + ch) * points + p);
        float expected;
        if (ch < (steps - 1) * channels)
          expected = before[static_cast<std::size_t>((b * cin + ch + channels) * points + p)];
        else if (ch < steps * channels)
          expected = prediction[static_cast<std::size_t>((b * channels + ch - (steps - 1) * channels) * points + p)];
        else
          expected = before[i];
        CHECK(out(i) == expected);
      }
}

TEST_CASE("normalization audit: which statistics commute with the group", "[evaluation][audit]") {
  const auto d4 = hyperoctahedral_group(2);
  const ChannelLayout layout(
      2, {{"pressure", FieldKind::scalar}, {"vorticity", FieldKind::scalar, true}, {"velocity", FieldKind::vector}});
  // Symmetric: equal component scales, zero means where signs flip.
  eval::ChannelStatistics good{"variable", layout, {3.0f, 0.0f, 0.0f, 0.0f}, {2.0f, 1.5f, 0.7f, 0.7f}};
  CHECK(eval::audit_normalization({good}, d4).empty());
  // Means at rounding level (as stats.yaml of a mean-free field holds them) are zero for the
  // normalized data, whatever their sign.
  eval::ChannelStatistics rounding = good;
  rounding.shift = {3.0f, -1.3e-10f, 3e-11f, -6e-11f};
  CHECK(eval::audit_normalization({rounding}, d4).empty());

  eval::ChannelStatistics bad = good;
  bad.scale[3] = 0.9f;   // velocity_y std differs from velocity_x: rotations swap them
  bad.shift[1] = 0.25f;  // a pseudoscalar with a mean: reflections flip it
  const auto issues = eval::audit_normalization({bad}, d4);
  REQUIRE(issues.size() == 3);
  const auto issue_of = [&](const std::string& channel) {
    for (const auto& i : issues)
      if (i.channel == channel) return i;
    FAIL("no issue for " << channel);
    return eval::NormalizationIssue{};
  };
  CHECK_THAT(issue_of("vorticity").problem, ContainsSubstring("sign flipped"));
  CHECK(issue_of("vorticity").element != "id");
  CHECK_THAT(issue_of("velocity_x").problem, ContainsSubstring("scale 0.7 vs 0.9 of velocity_y"));
  CHECK_THAT(issue_of("velocity_y").problem, ContainsSubstring("scale 0.9 vs 0.7 of velocity_x"));
  // Rotations only never flip the pseudoscalar's sign.
  std::vector<GroupElement> rotations;
  for (const auto& g : d4)
    if (g.determinant() > 0) rotations.push_back(g);
  const auto rotation_issues = eval::audit_normalization({bad}, rotations);
  for (const auto& i : rotation_issues)
    CHECK(i.channel != "vorticity");
  eval::ChannelStatistics wrong = good;
  wrong.scale.pop_back();
  CHECK_THROWS_WITH(eval::audit_normalization({wrong}, d4), ContainsSubstring("4 shifts and 3 scales for 4 channels"));
}

TEST_CASE("group choice: admissible by default, names resolved, non-admissible groups refused or forced",
          "[evaluation][group]") {
  const Grid square({32, 32});
  const auto d4 = eval::choose_group(square, "navier_stokes_2d", {});
  CHECK(d4.name == "D4");
  CHECK(d4.elements.size() == 8);
  CHECK(d4.elements.front().is_identity());
  CHECK(d4.source == "admissible");

  eval::GroupRequest c4;
  c4.spec = "C4";
  c4.sweep_subgroups = true;
  const auto rotations = eval::choose_group(square, "navier_stokes_2d", c4);
  CHECK(rotations.elements.size() == 4);
  CHECK(rotations.subgroups.size() == 3);  // trivial, rot180, C4
  CHECK(rotations.subgroups.back().elements.size() == 4);

  // A 64×32 grid admits no 90° rotation.
  const Grid wide({64, 32});
  CHECK(eval::choose_group(wide, "x", {}).elements.size() == 4);
  eval::GroupRequest rot;
  rot.spec = "C4";
  CHECK_THROWS_WITH(eval::choose_group(wide, "x", rot),
                    ContainsSubstring("not admissible") && ContainsSubstring("rot90") && ContainsSubstring("--force"));
  // Physics: no reflections.
  eval::GroupRequest flips;
  flips.spec = "flip_x";
  flips.profile.constraints = "no-reflection";
  CHECK_THROWS_WITH(eval::choose_group(square, "x", flips), ContainsSubstring("no-reflection"));
  flips.force = true;
  const auto forced = eval::choose_group(square, "x", flips);
  CHECK(forced.forced);
  CHECK(forced.elements.size() == 2);
  REQUIRE(forced.violations.size() == 1);
  CHECK_THAT(forced.violations[0], ContainsSubstring("flip_x"));
  eval::GroupRequest unknown;
  unknown.spec = "nonsense";
  CHECK_THROWS_AS(eval::choose_group(square, "x", unknown), Error);
}

namespace {

/// Persistence, except that one channel's first point is NaN and another's +Inf in every sample.
template <class Exec>
class BrokenModel : public test::PersistenceModel<Exec> {
 public:
  using typename surrogates::Model<Exec>::View;
  using typename surrogates::Model<Exec>::ConstView;
  using test::PersistenceModel<Exec>::PersistenceModel;
  void forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space, const View& out,
               const Exec& exec) override {
    test::PersistenceModel<Exec>::forward(in, batch, space, out, exec);
    const std::int64_t points = space[0] * space[1], channels = this->out_channels();
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    Kokkos::parallel_for(
        Kokkos::RangePolicy<Exec, Kokkos::IndexType<std::int64_t>>(exec, 0, batch),
        KOKKOS_LAMBDA(const std::int64_t b) {
          out((b * channels + 0) * points) = nan;
          out((b * channels + 2) * points + 5) = inf;
        });
  }
};

}  // namespace

TEMPLATE_LIST_TEST_CASE("NaN/Inf in predictions are counted per channel and poison the metrics, never dropped",
                        "[evaluation]", test::ExecutionSpaces) {
  using Exec = TestType;
  const auto windows = random_windows(41, one_step_spec());
  const auto setup = setup_for(windows, false);
  const int c = windows.channels(), cc = windows.constant_channels();
  auto model = std::make_shared<BrokenModel<Exec>>(2, kSteps, c, cc);
  eval::OneStepOptions options;
  options.batch = 4;
  options.defect_samples = 0;
  const auto r = eval::evaluate_one_step<Exec>(windows, model, setup, options);
  const auto n = windows.size();
  CHECK(r.non_finite_baseline[0] == n);
  CHECK(r.non_finite_baseline[1] == 0);
  CHECK(r.non_finite_baseline[2] == n);
  CHECK(r.baseline.non_finite_predictions == 2 * n);
  CHECK(std::isnan(r.baseline.mean("VRMSE", 0)));
  CHECK(!std::isnan(r.baseline.mean("VRMSE", 1)));
  CHECK(!std::isfinite(r.baseline.mean("VRMSE")));
  // The averaged model carries them too: averaging over the group spreads the bad points.
  CHECK(r.non_finite_averaged[0] >= n);
  CHECK(r.non_finite_averaged[1] == 0);
}

namespace {
/// Counts the windows (model copies) a model is asked for, then defers to `inner`.
template <class Exec>
class CountingModel : public surrogates::Model<Exec> {
 public:
  using typename surrogates::Model<Exec>::View;
  using typename surrogates::Model<Exec>::ConstView;
  explicit CountingModel(std::shared_ptr<surrogates::Model<Exec>> inner) : inner_(std::move(inner)) {}
  std::string architecture() const override { return inner_->architecture(); }
  int spatial_dims() const override { return inner_->spatial_dims(); }
  int in_channels() const override { return inner_->in_channels(); }
  int out_channels() const override { return inner_->out_channels(); }
  std::size_t workspace_bytes(std::int64_t batch, const std::vector<std::int64_t>& space) const override {
    return inner_->workspace_bytes(batch, space);
  }
  std::size_t parameter_bytes() const override { return inner_->parameter_bytes(); }
  void forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space, const View& out,
               const Exec& exec) override {
    copies += batch;
    inner_->forward(in, batch, space, out, exec);
  }
  std::int64_t copies = 0;

 private:
  std::shared_ptr<surrogates::Model<Exec>> inner_;
};
}  // namespace

TEMPLATE_LIST_TEST_CASE("one step costs |G| model copies per window, plus |G| per checked element and defect window",
                        "[evaluation][calls]", test::ExecutionSpaces) {
  using Exec = TestType;
  const auto windows = random_windows(5, one_step_spec());
  auto setup = setup_for(windows, false);
  const int c = windows.channels(), cc = windows.constant_channels();
  const auto order = static_cast<std::int64_t>(setup.elements.size());
  REQUIRE(order == 8);
  eval::OneStepOptions options;
  options.batch = 3;
  options.defect_samples = 4;
  auto counted = std::make_shared<CountingModel<Exec>>(std::make_shared<test::LopsidedModel<Exec>>(kSteps, c, cc));
  const auto on_generators = eval::evaluate_one_step<Exec>(windows, counted, setup, options);
  const auto generators = static_cast<std::int64_t>(setup.defect_elements.size());
  CHECK(generators == 2);
  CHECK(counted->copies == order * windows.size() + 4 * generators * order);

  // Every non-identity element: the same numbers for the generators, more rows, more calls.
  const auto generator_rows = on_generators.averaged_defect;
  const auto generator_ids = setup.defect_elements;
  setup.defect_elements.clear();
  for (std::size_t e = 1; e < setup.elements.size(); ++e)
    setup.defect_elements.push_back(e);
  counted->copies = 0;
  const auto on_all = eval::evaluate_one_step<Exec>(windows, counted, setup, options);
  CHECK(counted->copies == order * windows.size() + 4 * (order - 1) * order);
  REQUIRE(on_all.averaged_defect.size() == 7);
  for (std::size_t k = 0; k < generator_ids.size(); ++k)
    CHECK(on_all.averaged_defect[generator_ids[k] - 1] == generator_rows[k]);
  for (const auto& rows : on_all.averaged_defect)
    for (const double v : rows)
      CHECK(v <= 1e-6);
  CHECK(on_all.baseline.values.at("VRMSE") == on_generators.baseline.values.at("VRMSE"));
}

namespace {

/// Every value of two metric sets agrees to `tolerance` (relative, absolute near zero).
void check_same_metrics(const eval::ModeMetrics& a, const eval::ModeMetrics& b, double tolerance) {
  REQUIRE(a.values.size() == b.values.size());
  for (const auto& [name, values] : a.values) {
    const auto& other = b.values.at(name);
    REQUIRE(values.size() == other.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      INFO(name << "[" << i << "]");
      if (std::isnan(other[i])) {
        CHECK(std::isnan(values[i]));  // e.g. PDEBench's fRMSE bands a small grid has no modes in
        continue;
      }
      CHECK_THAT(values[i], WithinRel(other[i], tolerance) || WithinAbs(other[i], tolerance));
    }
  }
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("a memory budget splits the |G| copies into model calls and changes no number",
                        "[evaluation][memory]", test::ExecutionSpaces) {
  using Exec = TestType;
  const auto windows = random_windows(17, one_step_spec());
  const auto setup = setup_for(windows, true);
  const std::int64_t c = windows.channels(), cc = windows.constant_channels(), points = windows.points();
  const std::int64_t cin = kSteps * c + cc, order = 8;
  const auto subgroups = static_cast<std::int64_t>(setup.subgroups.size());
  REQUIRE(subgroups > 2);
  auto model = std::make_shared<CountingModel<Exec>>(std::make_shared<test::LopsidedModel<Exec>>(kSteps, c, cc));
  eval::OneStepOptions options;
  options.batch = 4;
  options.defect_samples = 3;
  options.memory_budget = std::int64_t{1} << 34;
  const auto whole = eval::evaluate_one_step<Exec>(windows, model, setup, options);
  CHECK(whole.footprint.plan.elements_per_call == order);
  CHECK(whole.footprint.plan.windows_per_call == 4);

  // A budget that holds 3 of the 8 copies of a 4-window batch: 3 calls of 3 elements.
  // The spectral and PDEBench metrics' buffers and the figure slices count too.
  const auto spectra = eval::batch_spectra_scratch<Exec>(c, windows.info().spatial_shape, options.figure_samples);
  const std::int64_t per_window = 4 * points * (2 * cin + (6 + subgroups) * c) + spectra.bytes_per_sample,
                     per_copy = 4 * points * (cin + c);
  options.memory_budget = spectra.fixed_bytes + 4 * per_window + 3 * 4 * per_copy;
  const auto copies_before = model->copies;
  const auto chunked = eval::evaluate_one_step<Exec>(windows, model, setup, options);
  const auto& plan = chunked.footprint.plan;
  CHECK(plan.windows_per_call == 4);
  CHECK(plan.elements_per_call == 3);
  CHECK(plan.model_calls_per_batch == 3);
  CHECK(plan.planned_bytes <= options.memory_budget);
  CHECK(plan.budget_bytes == options.memory_budget);
  // The same model copies as one call per batch: |G| per window and |G| per checked generator.
  CHECK(model->copies - copies_before ==
        order * windows.size() + 3 * order * static_cast<std::int64_t>(setup.defect_elements.size()));

  check_same_metrics(chunked.baseline, whole.baseline, 1e-6);
  check_same_metrics(chunked.averaged, whole.averaged, 1e-6);
  for (std::size_t e = 0; e < whole.elements.size(); ++e)
    check_same_metrics(chunked.elements[e], whole.elements[e], 1e-6);
  for (std::size_t h = 0; h < whole.subgroups.size(); ++h)
    check_same_metrics(chunked.subgroups[h], whole.subgroups[h], 1e-5);
  for (std::size_t e = 0; e < whole.baseline_defect.size(); ++e)
    for (std::size_t i = 0; i < whole.baseline_defect[e].size(); ++i)
      CHECK_THAT(chunked.baseline_defect[e][i], WithinRel(whole.baseline_defect[e][i], 1e-6));
  for (const auto& rows : chunked.averaged_defect)
    for (const double v : rows)
      CHECK(v <= 1e-6);

  // A budget below one window: refused, naming the minimum.
  options.memory_budget = spectra.fixed_bytes + per_window + per_copy - 1;
  CHECK_THROWS_WITH(eval::evaluate_one_step<Exec>(windows, model, setup, options),
                    ContainsSubstring("below what one window needs"));
  // Just enough for one window and one element per call: 8 calls per window, same numbers.
  options.memory_budget = spectra.fixed_bytes + per_window + per_copy;
  const auto smallest = eval::evaluate_one_step<Exec>(windows, model, setup, options);
  CHECK(smallest.footprint.plan.windows_per_call == 1);
  CHECK(smallest.footprint.plan.model_calls_per_batch == order);
  check_same_metrics(smallest.averaged, whole.averaged, 1e-6);
}

TEMPLATE_LIST_TEST_CASE("the engine reads back reduced numbers per window, not fields", "[evaluation][transfers]",
                        test::ExecutionSpaces) {
  using Exec = TestType;
  const auto windows = random_windows(23, one_step_spec());
  const auto setup = setup_for(windows, true);
  const std::int64_t c = windows.channels(), cc = windows.constant_channels(), points = windows.points();
  auto model = std::make_shared<test::LopsidedModel<Exec>>(kSteps, c, cc);
  eval::OneStepOptions options;
  options.batch = 3;
  options.defect_samples = 2;
  const auto r = eval::evaluate_one_step<Exec>(windows, model, setup, options);
  const auto n = windows.size(), order = static_cast<std::int64_t>(setup.elements.size());
  const auto subgroups = static_cast<std::int64_t>(setup.subgroups.size());
  const auto fields = static_cast<std::int64_t>(setup.output_fields().size());
  const auto generators = static_cast<std::int64_t>(setup.defect_elements.size());
  // Per window: 11 sums per channel for each scored prediction (baseline, average, every element,
  // every subgroup), 2 sums per field for each defect (every element against the baseline, the
  // generators on the checked windows).
  const std::int64_t spatial = 8 * 11 * c * n * (2 + order + subgroups) + 16 * fields * n * order +
                               16 * fields * options.defect_samples * generators;
  // The baseline's and the average's spectra: the_well's 3 bins of the error and of the target
  // per channel; PDEBench's 6 sums and R = min(8, 8)/2 = 4 radial bins per channel.
  const std::int64_t spectral = 2 * 8 * 2 * 3 * c * n, pdebench = 2 * 8 * (6 + 4) * c * n;
  // The figure slices of the first figure_samples windows (8×8 fits 128² whole), both predictions.
  const std::int64_t figures = 2 * 4 * options.figure_samples * c * points;
  // The same bytes on every execution space: reduced numbers and slices, never a whole field.
  CHECK(r.footprint.transfers.bytes == spatial + spectral + pdebench + figures);
  // None of it grows with the grid but R and the slices (≤ 128² per channel): on a 64×64 grid
  // (no figures) it is far below one field per window, which each prediction copied before.
  const auto info = test::random_well_info({64, 64},
                                           {{BoundaryCondition::periodic, BoundaryCondition::periodic},
                                            {BoundaryCondition::periodic, BoundaryCondition::periodic}},
                                           1, 4);
  const datasets::WindowedDataset large({std::make_shared<datasets::MemorySource>(test::random_well_source(info, 5))},
                                        one_step_spec());
  options.figure_samples = 0;
  const auto r_large = eval::evaluate_one_step<Exec>(large, std::make_shared<test::LopsidedModel<Exec>>(kSteps, c, cc),
                                                     setup_for(large, true), options);
  CHECK(r_large.footprint.transfers.bytes * 4 < 4 * c * large.points() * large.size());
  CHECK(r.footprint.peak_resident_bytes > 0);
}

TEMPLATE_LIST_TEST_CASE("rollouts under a memory budget give the same curves", "[evaluation][memory][rollout]",
                        test::ExecutionSpaces) {
  using Exec = TestType;
  datasets::WindowSpec spec;
  spec.n_steps_input = kSteps;
  spec.full_trajectory_mode = true;
  spec.max_rollout_steps = 3;
  const auto trajectories = random_windows(31, spec);
  const auto setup = setup_for(trajectories, true);
  const std::int64_t c = trajectories.channels(), cc = trajectories.constant_channels();
  auto model = std::make_shared<test::LopsidedModel<Exec>>(kSteps, c, cc);
  eval::RolloutOptions options;
  options.batch = 2;
  options.memory_budget = std::int64_t{1} << 34;
  const auto whole = eval::evaluate_rollout<Exec>(trajectories, model, setup, options);
  CHECK(whole.footprint.plan.model_calls_per_batch == 1);
  const std::int64_t points = trajectories.points(), cin = kSteps * c + cc, order = 8, steps = 3;
  const auto subgroups = static_cast<std::int64_t>(setup.subgroups.size());
  const std::int64_t per_window = 4 * points * (cin * (2 + order) + c * (order + steps + 4 + subgroups));
  options.memory_budget = 2 * per_window + 2 * 2 * 4 * points * (cin + c);
  const auto chunked = eval::evaluate_rollout<Exec>(trajectories, model, setup, options);
  CHECK(chunked.footprint.plan.elements_per_call == 2);
  CHECK(chunked.footprint.plan.model_calls_per_batch == 4);
  const auto same = [](const eval::RolloutCurves& a, const eval::RolloutCurves& b, double tolerance) {
    REQUIRE(a.vrmse.size() == b.vrmse.size());
    for (std::size_t k = 0; k < a.vrmse.size(); ++k)
      for (std::size_t i = 0; i < a.vrmse[k].size(); ++i)
        CHECK_THAT(a.vrmse[k][i], WithinRel(b.vrmse[k][i], tolerance));
    CHECK(a.non_finite == b.non_finite);
  };
  same(chunked.baseline, whole.baseline, 1e-6);
  same(chunked.averaged_each_step, whole.averaged_each_step, 1e-5);
  same(chunked.independent_average, whole.independent_average, 1e-6);
  for (std::size_t h = 0; h < whole.subgroups.size(); ++h)
    same(chunked.subgroups[h], whole.subgroups[h], 1e-5);
}
