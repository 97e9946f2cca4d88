// gavel transform: a Well file transformed by one group element, checked against an explicit
// computation written from the definition (g·f)(p) = ρ(g) f(g⁻¹ p) with its own index
// arithmetic, independent of the kernels.
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"
#include "gavel/datasets/transformed_source.hpp"
#include "gavel/datasets/well_file_source.hpp"
#include "gavel/datasets/well_writer.hpp"
#include "random_well_source.hpp"
#include "temp_folder.hpp"

using namespace gavel;
using namespace gavel::datasets;
using Catch::Matchers::ContainsSubstring;

namespace {

constexpr auto periodic = BoundaryCondition::periodic;
constexpr auto wall = BoundaryCondition::wall;
constexpr auto open = BoundaryCondition::open;
using Faces = std::vector<std::array<BoundaryCondition, 2>>;

/// Input index along source axis for output index j on an axis of n cells: in centred cell
/// coordinates c(i) = i − (n−1)/2 the element maps c(i) ↦ s·c(i) + shift.
std::int64_t source_index(std::int64_t j, int sign, std::int64_t shift, std::int64_t n) {
  const std::int64_t i = sign > 0 ? j - shift : n - 1 - j + shift;
  return ((i % n) + n) % n;
}

/// The explicit transform of one frame ([*space, components], C order) of a field of `order`.
std::vector<float> explicit_transform(const std::vector<float>& in, const std::vector<std::int64_t>& shape, int order,
                                      bool pseudo, const GroupElement& g) {
  const int d = static_cast<int>(shape.size());
  int components = 1;
  for (int k = 0; k < order; ++k)
    components *= d;
  std::int64_t points = 1;
  for (auto n : shape)
    points *= n;
  std::vector<std::int64_t> in_shape(static_cast<std::size_t>(d));  // out axis k reads in axis source_k
  for (int k = 0; k < d; ++k)
    in_shape[static_cast<std::size_t>(g.source_axis(k))] = shape[static_cast<std::size_t>(k)];
  std::vector<float> out(in.size());
  const float parity = pseudo ? static_cast<float>(g.determinant()) : 1.0f;
  for (std::int64_t flat = 0; flat < points; ++flat) {
    std::vector<std::int64_t> j(static_cast<std::size_t>(d)), i(static_cast<std::size_t>(d));
    std::int64_t rest = flat;
    for (int k = d - 1; k >= 0; --k) {
      j[static_cast<std::size_t>(k)] = rest % shape[static_cast<std::size_t>(k)];
      rest /= shape[static_cast<std::size_t>(k)];
    }
    for (int k = 0; k < d; ++k)
      i[static_cast<std::size_t>(g.source_axis(k))] =
          source_index(j[static_cast<std::size_t>(k)], g.sign(k), g.shift(k), shape[static_cast<std::size_t>(k)]);
    std::int64_t source_flat = 0;
    for (int k = 0; k < d; ++k)
      source_flat = source_flat * in_shape[static_cast<std::size_t>(k)] + i[static_cast<std::size_t>(k)];
    const float* v = in.data() + source_flat * components;
    float* w = out.data() + flat * components;
    if (order == 0) w[0] = parity * v[0];
    if (order == 1)
      for (int a = 0; a < d; ++a)
        w[a] = parity * static_cast<float>(g.sign(a)) * v[g.source_axis(a)];
    if (order == 2)
      for (int a = 0; a < d; ++a)
        for (int b = 0; b < d; ++b)
          w[a * d + b] =
              parity * static_cast<float>(g.sign(a) * g.sign(b)) * v[g.source_axis(a) * d + g.source_axis(b)];
  }
  return out;
}

}  // namespace

TEST_CASE("transformed files equal the explicit transform for scalar, pseudo, vector and tensor fields",
          "[transform]") {
  const auto [shape, faces, element] = GENERATE(table<std::vector<std::int64_t>, Faces, std::string>({
      {{6, 6}, {{periodic, periodic}, {periodic, periodic}}, "[-y,x]"},
      {{6, 6}, {{periodic, periodic}, {periodic, periodic}}, "[y,x]+shift(2,5)"},
      {{6, 4}, {{periodic, periodic}, {wall, wall}}, "[-x,-y]+shift(1,0)"},
      {{4, 4, 3}, {{periodic, periodic}, {periodic, periodic}, {open, open}}, "[-y,x,-z]+shift(1,3,0)"},
  }));
  const GroupElement g = parse_element(element, static_cast<int>(shape.size()));
  INFO(element);
  const auto info = test::random_well_info(shape, faces, 2, 3);
  const auto memory = std::make_shared<MemorySource>(test::random_well_source(info, 11));
  test::TempFolder folder;
  write_well_file(folder / "in.hdf5", *memory);
  const auto in = std::make_shared<WellFileSource>(folder / "in.hdf5");
  const TransformedSource transformed(in, g);
  write_well_file(folder / "out.hdf5", transformed);
  const WellFileSource out(folder / "out.hdf5");

  const Grid expected_grid = transform_grid(g, in->info().grid());
  CHECK(out.info().spatial_shape == expected_grid.shape());
  for (int k = 0; k < expected_grid.ndim(); ++k) {
    const std::array<BoundaryCondition, 2> faces_k{expected_grid.bc(k, Face::low), expected_grid.bc(k, Face::high)};
    CHECK(out.info().boundary[static_cast<std::size_t>(k)] == faces_k);
    CHECK(out.info().coordinates[static_cast<std::size_t>(k)] ==
          in->info().coordinates[static_cast<std::size_t>(g.source_axis(k))]);
  }
  for (std::size_t f = 0; f < info.fields.size(); ++f) {
    const WellField& field = in->info().fields[f];
    const auto size = static_cast<std::size_t>(frame_size(in->info(), field));
    std::vector<float> frame(size), got(size);
    for (std::int64_t b = 0; b < 2; ++b)
      for (std::int64_t t = 0; t < (field.time_varying ? 3 : 1); ++t) {
        if (field.time_varying) {
          in->read_frames(f, b, t, 1, 1, frame.data());
          out.read_frames(f, b, t, 1, 1, got.data());
        } else {
          in->read_constant(f, b, frame.data());
          out.read_constant(f, b, got.data());
        }
        INFO(field.name);
        CHECK(got == explicit_transform(frame, in->info().spatial_shape, field.order, field.pseudo, g));
      }
  }
}

TEST_CASE("transform refuses elements the grid does not admit, unless forced", "[transform][errors]") {
  const auto info = test::random_well_info({6, 4}, Faces{{periodic, periodic}, {wall, open}}, 1, 2);
  const auto memory = std::make_shared<MemorySource>(test::random_well_source(info, 2));
  CHECK_THROWS_WITH(TransformedSource(memory, parse_element("[x,-y]", 2)),
                    ContainsSubstring("not a symmetry of this grid"));
  const TransformedSource forced(memory, parse_element("[x,-y]", 2), true);
  CHECK(forced.info().boundary[1] == std::array<BoundaryCondition, 2>{open, wall});
  CHECK_THROWS_AS(TransformedSource(memory, parse_element("[y,x]", 2), true), Error);  // 6 ≠ 4
  CHECK_THROWS_AS(TransformedSource(memory, parse_element("[x,y,z]", 3)), Error);
}

TEST_CASE("parity overrides name unknown fields and conflicts", "[transform][errors]") {
  auto info = test::random_well_info({4, 4}, Faces{{periodic, periodic}, {periodic, periodic}}, 1, 2);
  override_parity(info, {"density"}, {"vorticity"});
  CHECK(info.fields[0].pseudo);
  CHECK_FALSE(info.fields[1].pseudo);
  CHECK_THROWS_WITH(override_parity(info, {"pressure"}, {}),
                    ContainsSubstring("no field 'pressure'") && ContainsSubstring("density, vorticity"));
  CHECK_THROWS_WITH(override_parity(info, {"density"}, {"density"}), ContainsSubstring("both pseudo and polar"));
}
