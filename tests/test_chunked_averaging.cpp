// The averaged model in chunks of group elements: the same average as one call of all |G|
// copies, and every element's outputs handed to the consumer exactly once while they exist.
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>

#include <cmath>
#include <random>

#include "evaluation_models.hpp"
#include "float_fields.hpp"
#include "gavel/core/admissible_group.hpp"
#include "gavel/core/error.hpp"
#include "gavel/eval/averaged_model.hpp"
#include "test_support.hpp"

using namespace gavel;

template <class Exec>
using View = test::FloatView<Exec>;
using test::relative_difference;

TEMPLATE_LIST_TEST_CASE("chunked averaging equals the one-call average; each element is consumed once",
                        "[averaging][memory]", test::ExecutionSpaces) {
  using Exec = TestType;
  const Grid square({8, 8});
  const auto elements = admissible_group(square).elements();
  REQUIRE(elements.size() == 8);
  const ChannelLayout input(2, {{"vorticity", FieldKind::scalar, true}, {"velocity", FieldKind::vector}}, 2);
  const ChannelLayout output(2, {{"vorticity", FieldKind::scalar, true}, {"velocity", FieldKind::vector}}, 1);
  auto inner = std::make_shared<test::LopsidedModel<Exec>>(2, 3, 0);
  const std::int64_t batch = 3, points = 64;
  View<Exec> x("x", static_cast<std::size_t>(batch * 6 * points)), y("y", static_cast<std::size_t>(batch * 3 * points));
  {
    auto h = Kokkos::create_mirror_view(x);
    std::mt19937 rng(Catch::getSeed());
    std::normal_distribution<float> normal;
    for (std::size_t i = 0; i < h.extent(0); ++i)
      h(i) = normal(rng);
    Kokkos::deep_copy(x, h);
  }
  eval::AveragedModel<Exec> whole(inner, square, input, output, elements);
  CHECK(whole.calls_per_forward() == 1);
  whole.forward(x, batch, square.shape(), y);
  const auto reference = test::host_floats<Exec>(y);

  // f(g_e·x) for every element, one by one, to compare the consumer's views with.
  GroupAction<Exec> in_action(square, input, elements);
  std::vector<std::vector<float>> element_outputs;
  View<Exec> gx("gx", x.extent(0)), fy("fy", y.extent(0));
  for (std::size_t e = 0; e < elements.size(); ++e) {
    in_action.template apply<float>(e, x, batch, gx);
    inner->forward(gx, batch, square.shape(), fy, Exec());
    element_outputs.push_back(test::host_floats<Exec>(fy));
  }

  // (asked, per call, calls): balanced chunks.
  const std::vector<std::array<std::size_t, 3>> cases = {{1, 1, 8}, {2, 2, 4}, {3, 3, 3},  {5, 4, 2},
                                                         {7, 4, 2}, {8, 8, 1}, {100, 8, 1}};
  for (const auto& expected : cases) {
    // Plain copies: nvcc 11.8 cannot capture structured bindings in the lambda below.
    const std::size_t asked = expected[0], per_call = expected[1], calls = expected[2];
    INFO("elements per call asked: " << asked);
    eval::AveragedModel<Exec> chunked(inner, square, input, output, elements);
    chunked.set_elements_per_call(asked);
    CHECK(chunked.elements_per_call() == per_call);
    CHECK(chunked.calls_per_forward() == calls);
    std::vector<int> seen(elements.size(), 0);
    bool outputs_match = true;
    chunked.forward(
        x, batch, square.shape(), y,
        [&](std::size_t first, std::size_t count, const View<Exec>& outputs) {
          CHECK(count <= per_call);
          CHECK(outputs.extent(0) == count * static_cast<std::size_t>(batch * 3 * points));
          const auto host = test::host_floats<Exec>(outputs);
          for (std::size_t k = 0; k < count; ++k) {
            ++seen[first + k];
            const auto& want = element_outputs[first + k];
            for (std::size_t i = 0; i < want.size(); ++i)
              outputs_match = outputs_match && host[k * want.size() + i] == want[i];
          }
        },
        Exec());
    CHECK(outputs_match);
    for (std::size_t e = 0; e < seen.size(); ++e)
      CHECK(seen[e] == 1);
    CHECK(relative_difference(test::host_floats<Exec>(y), reference) < 1e-6);
    // Buffers for one chunk, not for |G| copies.
    CHECK(chunked.workspace_bytes(batch, square.shape()) ==
          per_call * static_cast<std::size_t>(batch * points * (6 + 3)) * sizeof(float) +
              (calls > 1 ? static_cast<std::size_t>(batch * points * 3) * sizeof(float) : 0));
  }
  eval::AveragedModel<Exec> chunked(inner, square, input, output, elements);
  CHECK_THROWS_AS(chunked.set_elements_per_call(0), Error);
}
