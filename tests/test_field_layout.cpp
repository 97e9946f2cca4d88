#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/field_layout.hpp"
#include "gavel/core/group_element.hpp"
#include "test_support.hpp"

using namespace gavel;
using Catch::Matchers::ContainsSubstring;

namespace {

/// Composition of signed channel permutations: (a ∘ b)(c) = a applied after b.
ChannelMap compose_maps(const ChannelMap& a, const ChannelMap& b) {
  ChannelMap m;
  for (std::size_t c = 0; c < a.source.size(); ++c) {
    const auto s = static_cast<std::size_t>(a.source[c]);
    m.source.push_back(b.source[s]);
    m.sign.push_back(a.sign[c] * b.sign[s]);
  }
  return m;
}

}  // namespace

TEST_CASE("channel names follow The Well's flattening", "[layout]") {
  const ChannelLayout layout(2, {{"u", FieldKind::vector}, {"p", FieldKind::scalar}, {"D", FieldKind::tensor}}, 2,
                             {{"mask", FieldKind::scalar}});
  CHECK(layout.num_channels() == 2 * (2 + 1 + 4) + 1);
  const auto names = layout.channel_names();
  CHECK(names.front() == "u_x_t0");
  CHECK(names[3] == "D_xx_t0");
  CHECK(names[4] == "D_xy_t0");
  CHECK(names[7] == "u_x_t1");
  CHECK(names.back() == "mask");
}

TEST_CASE("rho is a homomorphism on every channel layout", "[layout]") {
  for (int d = 1; d <= 3; ++d) {
    const ChannelLayout layout = test::mixed_layout(d, 2);
    const auto elements = hyperoctahedral_group(d);
    for (const auto& g : elements)
      for (const auto& h : elements) {
        const ChannelMap lhs = layout.channel_map(compose(h, g));
        const ChannelMap rhs = compose_maps(layout.channel_map(h), layout.channel_map(g));
        REQUIRE(lhs.source == rhs.source);
        REQUIRE(lhs.sign == rhs.sign);
      }
  }
}

TEST_CASE("pseudo fields pick up det R", "[layout]") {
  const ChannelLayout layout(2, {{"w", FieldKind::scalar, true},
                                 {"s", FieldKind::scalar, false},
                                 {"B", FieldKind::vector, true},
                                 {"v", FieldKind::vector, false}});
  const auto flip = layout.channel_map(parse_element("flip_x", 2));
  CHECK(flip.sign == std::vector<int>{-1, 1, 1, -1, -1, 1});  // w, s, B_x, B_y, v_x, v_y
  const auto rot = layout.channel_map(parse_element("rot90", 2));
  CHECK(rot.sign == std::vector<int>{1, 1, -1, 1, -1, 1});
  CHECK(rot.source == std::vector<int>{0, 1, 3, 2, 5, 4});
}

TEST_CASE("field kinds parse and bad layouts are refused", "[layout][errors]") {
  CHECK(parse_field_kind("t1") == FieldKind::vector);
  CHECK(parse_field_kind("Tensor") == FieldKind::tensor);
  CHECK_THROWS_WITH(parse_field_kind("spinor"), ContainsSubstring("unknown field kind 'spinor'"));
  CHECK_THROWS_WITH(ChannelLayout(2, {}), ContainsSubstring("no fields"));
  CHECK_THROWS_WITH(ChannelLayout(2, {{"u", FieldKind::scalar}}, 0), ContainsSubstring("0 time steps"));
  const ChannelLayout layout(2, {{"u", FieldKind::vector}});
  CHECK_THROWS_WITH(layout.channel_map(parse_element("rot90_z", 3)),
                    ContainsSubstring("3-D element acting on 2-D fields"));
}
