// the_well's normalization: per-channel statistics from stats.yaml and the physical-unit model
// wrapper (normalize → model → denormalize, or add the denormalized change to the last step).
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <random>

#include "gavel/core/error.hpp"
#include "gavel/datasets/channel_statistics.hpp"
#include "gavel/datasets/well_dataset.hpp"
#include "gavel/surrogates/normalized_model.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

using namespace gavel;
using Catch::Matchers::ContainsSubstring;

namespace {

/// A model whose output channel c is 2·(input channel c of the last step) + 1, in whatever units
/// it is given: enough to see each normalization step.
template <class Exec>
class LastStepModel : public surrogates::Model<Exec> {
 public:
  using typename surrogates::Model<Exec>::View;
  using typename surrogates::Model<Exec>::ConstView;
  LastStepModel(int steps, int channels, int constants) : steps_(steps), channels_(channels), constants_(constants) {}
  std::string architecture() const override { return "LastStep"; }
  int spatial_dims() const override { return 2; }
  int in_channels() const override { return steps_ * channels_ + constants_; }
  int out_channels() const override { return channels_; }
  // A kernel on the input alone: no buffers, no parameters.
  std::size_t workspace_bytes(std::int64_t, const std::vector<std::int64_t>&) const override { return 0; }
  std::size_t parameter_bytes() const override { return 0; }
  void forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space, const View& out,
               const Exec& exec) override {
    const std::int64_t points = space[0] * space[1], cin = in_channels(), cout = channels_;
    const std::int64_t last = static_cast<std::int64_t>(steps_ - 1) * channels_;
    Kokkos::parallel_for(
        Kokkos::RangePolicy<Exec, Kokkos::IndexType<std::int64_t>>(exec, 0, batch * cout * points),
        KOKKOS_LAMBDA(const std::int64_t i) {
          const std::int64_t p = i % points, c = (i / points) % cout, b = i / (points * cout);
          out(i) = 2.0f * in((b * cin + last + c) * points + p) + 1.0f;
        });
  }

 private:
  int steps_, channels_, constants_;
};

}  // namespace

TEST_CASE("per-channel statistics follow the_well's flattened order, clipped at 1e-4", "[normalization]") {
  const auto folder = datasets::open_well_dataset(gavel::test::test_data_dir() + "/well_dataset/fixture_small");
  REQUIRE(folder.stats);
  const auto info = datasets::read_well_file(folder.first_file());
  const auto z = datasets::well_normalization(*folder.stats, info, datasets::NormalizationKind::zscore);
  CHECK(z.variable.shift == std::vector<float>{8.6147E-02f, -1.9190E-01f, 1.2019E-01f});
  CHECK(z.variable.scale == std::vector<float>{1.0519E+00f, 9.8453E-01f, 8.6998E-01f});
  CHECK(z.delta.shift == std::vector<float>{1.4966E-01f, 1.1571E-01f, -7.7526E-02f});
  CHECK(z.constant.shift.empty());
  const auto r = datasets::well_normalization(*folder.stats, info, datasets::NormalizationKind::rms, 2.0);
  CHECK(r.variable.shift == std::vector<float>(3, 0.0f));
  CHECK(r.variable.scale == std::vector<float>{2.0f, 2.0f, 2.0f});  // every rms below the floor of 2
  CHECK(datasets::parse_normalization_kind("rms") == datasets::NormalizationKind::rms);
  CHECK_THROWS_WITH(datasets::parse_normalization_kind("minmax"), ContainsSubstring("unknown normalization"));

  auto bad = info;
  bad.fields[0].name = "pressure";
  CHECK_THROWS_WITH(datasets::well_normalization(*folder.stats, bad, datasets::NormalizationKind::zscore),
                    ContainsSubstring("mean/pressure is missing"));
}

TEMPLATE_LIST_TEST_CASE("the physical-unit wrapper normalizes, runs and denormalizes", "[normalization]",
                        test::ExecutionSpaces) {
  using Exec = TestType;
  const int steps = 2, channels = 3, constants = 1;
  const std::int64_t batch = 2, points = 5 * 4;
  const surrogates::AffineChannels variable{{1.0f, -2.0f, 0.5f}, {2.0f, 4.0f, 0.25f}};
  const surrogates::AffineChannels constant{{3.0f}, {8.0f}};
  const surrogates::AffineChannels output{{0.5f, 1.5f, -1.0f}, {3.0f, 0.5f, 2.0f}};
  std::mt19937 rng(17);
  std::normal_distribution<float> normal;
  const std::int64_t cin = steps * channels + constants;
  std::vector<float> x(static_cast<std::size_t>(batch * cin * points));
  for (auto& v : x)
    v = normal(rng);
  typename surrogates::Model<Exec>::View in("in", x.size()),
      out("out", static_cast<std::size_t>(batch * channels * points));
  auto in_host = Kokkos::create_mirror_view(in);
  for (std::size_t i = 0; i < x.size(); ++i)
    in_host(i) = x[i];
  Kokkos::deep_copy(in, in_host);

  for (const bool delta : {false, true}) {
    surrogates::NormalizedModel<Exec> model(std::make_shared<LastStepModel<Exec>>(steps, channels, constants), steps,
                                            variable, constant, output, delta);
    model.forward(in, batch, {5, 4}, out, Exec());
    Exec().fence();
    auto got = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out);
    for (std::int64_t b = 0; b < batch; ++b)
      for (int c = 0; c < channels; ++c)
        for (std::int64_t p = 0; p < points; ++p) {
          const float last = x[static_cast<std::size_t>((b * cin + (steps - 1) * channels + c) * points + p)];
          const float normalized =
              (last - variable.shift[static_cast<std::size_t>(c)]) / variable.scale[static_cast<std::size_t>(c)];
          const float raw = 2.0f * normalized + 1.0f;
          const float value =
              raw * output.scale[static_cast<std::size_t>(c)] + output.shift[static_cast<std::size_t>(c)];
          CHECK(got(static_cast<std::size_t>((b * channels + c) * points + p)) == (delta ? last + value : value));
        }
  }
  CHECK_THROWS_WITH(surrogates::NormalizedModel<Exec>(std::make_shared<LastStepModel<Exec>>(3, channels, constants),
                                                      steps, variable, constant, output, false),
                    ContainsSubstring("takes 10 channels"));
}
