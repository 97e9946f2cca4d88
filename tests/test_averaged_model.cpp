// Group averaging around a model that is far from equivariant: the averaged model must be
// equivariant to rounding and equal the explicit average 1/|G| Σ g⁻¹·f(g·x).
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <cmath>
#include <random>

#include "float_fields.hpp"
#include "gavel/core/admissible_group.hpp"
#include "gavel/core/error.hpp"
#include "gavel/eval/averaged_model.hpp"
#include "test_support.hpp"

using namespace gavel;
using Catch::Matchers::ContainsSubstring;

namespace {

constexpr std::int64_t kSide = 8;

/// Mixes the last input step's channels with a neighbour along +x and a position-dependent
/// weight: neither rotation nor reflection equivariant.
template <class Exec>
class LopsidedModel : public surrogates::Model<Exec> {
 public:
  using typename surrogates::Model<Exec>::View;
  using typename surrogates::Model<Exec>::ConstView;
  std::string architecture() const override { return "Lopsided"; }
  int spatial_dims() const override { return 2; }
  int in_channels() const override { return 6; }
  int out_channels() const override { return 3; }
  // A kernel on the input alone: no buffers, no parameters.
  std::size_t workspace_bytes(std::int64_t, const std::vector<std::int64_t>&) const override { return 0; }
  std::size_t parameter_bytes() const override { return 0; }
  void forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>&, const View& out,
               const Exec& exec) override {
    const std::int64_t n = kSide, points = n * n;
    Kokkos::parallel_for(
        Kokkos::RangePolicy<Exec, Kokkos::IndexType<std::int64_t>>(exec, 0, batch * 3 * points),
        KOKKOS_LAMBDA(const std::int64_t i) {
          const std::int64_t p = i % points, c = (i / points) % 3, b = i / (3 * points);
          const std::int64_t row = p / n, col = p % n;
          const std::int64_t neighbour = ((row + 1) % n) * n + col;
          const float weight = 1.0f + 0.1f * static_cast<float>(row) - 0.05f * static_cast<float>(col);
          out(i) =
              weight * in((b * 6 + 3 + c) * points + p) + 0.5f * in((b * 6 + 3 + (c + 1) % 3) * points + neighbour);
        });
  }
};

template <class Exec>
using View = test::FloatView<Exec>;

using test::relative_difference;

}  // namespace

TEMPLATE_LIST_TEST_CASE("the averaged model is equivariant and equals the explicit average", "[averaging]",
                        test::ExecutionSpaces) {
  using Exec = TestType;
  const Grid grid({kSide, kSide});
  const auto elements = admissible_group(grid).elements();
  const ChannelLayout input(2, {{"vorticity", FieldKind::scalar, true}, {"velocity", FieldKind::vector}}, 2);
  const ChannelLayout output(2, {{"vorticity", FieldKind::scalar, true}, {"velocity", FieldKind::vector}}, 1);
  auto inner = std::make_shared<LopsidedModel<Exec>>();
  eval::AveragedModel<Exec> averaged(inner, grid, input, output, elements);
  CHECK(averaged.group_order() == 8);

  const std::int64_t batch = 2, points = kSide * kSide;
  View<Exec> x("x", static_cast<std::size_t>(batch * 6 * points)),
      fx("fx", static_cast<std::size_t>(batch * 3 * points));
  {
    auto h = Kokkos::create_mirror_view(x);
    std::mt19937 rng(5);
    std::normal_distribution<float> normal;
    for (std::size_t i = 0; i < h.extent(0); ++i)
      h(i) = normal(rng);
    Kokkos::deep_copy(x, h);
  }
  averaged.forward(x, batch, grid.shape(), fx);
  const auto average = test::host_floats<Exec>(fx);

  // Explicit average with single-element actions.
  GroupAction<Exec> in_action(grid, input, elements), out_action_inverse(grid, output, [&] {
    std::vector<GroupElement> inverses;
    for (const auto& g : elements)
      inverses.push_back(inverse(g));
    return inverses;
  }());
  View<Exec> gx("gx", x.extent(0)), y("y", fx.extent(0)), back("back", fx.extent(0));
  std::vector<double> sum(fx.extent(0), 0.0);
  double raw_defect = 0;
  std::vector<float> identity_output;
  for (std::size_t e = 0; e < elements.size(); ++e) {
    in_action.template apply<float>(e, x, batch, gx);
    inner->forward(gx, batch, grid.shape(), y, Exec());
    out_action_inverse.template apply<float>(e, y, batch, back);
    const auto b = test::host_floats<Exec>(back);
    if (e == 0) identity_output = b;
    raw_defect = std::max(raw_defect, relative_difference(b, identity_output));
    for (std::size_t i = 0; i < b.size(); ++i)
      sum[i] += b[i];
  }
  std::vector<float> explicit_average(sum.size());
  for (std::size_t i = 0; i < sum.size(); ++i)
    explicit_average[i] = static_cast<float>(sum[i] / static_cast<double>(elements.size()));
  CHECK(relative_difference(average, explicit_average) < 1e-6);
  CHECK(raw_defect > 1e-2);  // the inner model really is not equivariant

  // f_G(g·x) = g·f_G(x) for every element.
  GroupAction<Exec> out_action(grid, output, elements);
  View<Exec> fgx("fgx", fx.extent(0)), gfx("gfx", fx.extent(0));
  for (std::size_t e = 0; e < elements.size(); ++e) {
    in_action.template apply<float>(e, x, batch, gx);
    averaged.forward(gx, batch, grid.shape(), fgx);
    out_action.template apply<float>(e, fx, batch, gfx);
    INFO("element " << e);
    CHECK(relative_difference(test::host_floats<Exec>(fgx), test::host_floats<Exec>(gfx)) < 1e-6);
  }
  CHECK_THROWS_WITH(averaged.forward(x, batch, {kSide, kSide + 1}, fx), ContainsSubstring("8x9 grid"));
}
