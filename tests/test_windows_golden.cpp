// Windows against golden files written by the_well 1.2.0's own WellDataset and
// DefaultChannelsFirstFormatter (tools/make_window_goldens.py): every item of every
// configuration must match bit for bit (NaN where the_well has NaN).
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include <cmath>
#include <cstring>

#include <H5Cpp.h>

#include "gavel/datasets/hdf5_attributes.hpp"
#include "gavel/datasets/model_input.hpp"
#include "gavel/datasets/well_dataset.hpp"
#include "gavel/datasets/windows.hpp"
#include "test_paths.hpp"

using namespace gavel;
using namespace gavel::datasets;

namespace {

std::string golden_root() {
  return gavel::test::test_data_dir() + "/well_windows/";
}

template <class T>
std::vector<T> read_all(const H5::Group& group, const std::string& name, const H5::PredType& type) {
  const H5::DataSet set = group.openDataSet(name);
  std::size_t n = 1;
  for (auto e : hdf5::shape(set))
    n *= static_cast<std::size_t>(e);
  std::vector<T> values(n);
  set.read(values.data(), type);
  return values;
}

bool has(const H5::Group& group, const std::string& name) {
  return H5Lexists(group.getId(), name.c_str(), H5P_DEFAULT) > 0;
}

/// Same bits, or both NaN.
bool same(float a, float b) {
  return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

/// `expected` holds N items of `item_size` values; item `n` must equal `got` element by element.
void check_item(const std::vector<float>& expected, std::size_t n, const std::vector<float>& got, const char* what) {
  INFO(what << " of item " << n);
  REQUIRE(expected.size() % got.size() == 0);
  std::size_t mismatches = 0, first = got.size();
  for (std::size_t i = 0; i < got.size(); ++i)
    if (!same(expected[n * got.size() + i], got[i])) {
      ++mismatches;
      first = std::min(first, i);
    }
  INFO("first mismatch at " << first);
  CHECK(mismatches == 0);
}

template <class T>
std::vector<float> as_float(const std::vector<T>& values) {
  return std::vector<float>(values.begin(), values.end());
}

int bc_code(BoundaryCondition bc) {  // the_well's BoundaryCondition enum values
  switch (bc) {
    case BoundaryCondition::wall:
      return 0;
    case BoundaryCondition::open:
      return 1;
    case BoundaryCondition::periodic:
      return 2;
  }
  return -1;
}

}  // namespace

TEST_CASE("windows equal the_well's WellDataset items and formatter output", "[windows][golden]") {
  const std::string name = GENERATE("periodic2d", "open3d", "shared2d");
  INFO("case " << name);
  const H5::H5File golden(golden_root() + name + ".golden.hdf5", H5F_ACC_RDONLY);
  const auto folder = open_well_dataset(golden_root() + name);
  REQUIRE(folder.splits.size() == 1);
  const auto& files = folder.splits[0].files;
  REQUIRE(files.size() == hdf5::read_string_list(golden, "files", "golden").size());

  for (const auto& config : hdf5::member_names(golden)) {
    INFO("configuration " << config);
    const H5::Group g = golden.openGroup(config);
    WindowSpec spec;
    spec.n_steps_input = static_cast<int>(hdf5::read_integer(g, "n_steps_input", config));
    spec.n_steps_output = static_cast<int>(hdf5::read_integer(g, "n_steps_output_arg", config));
    spec.dt_stride = static_cast<int>(hdf5::read_integer(g, "min_dt_stride", config));
    spec.full_trajectory_mode = hdf5::read_integer(g, "full_trajectory_mode", config) != 0;
    spec.max_rollout_steps = static_cast<int>(hdf5::read_integer(g, "max_rollout_steps", config));
    const WindowedDataset windows = WindowedDataset::open(files, spec);
    REQUIRE(windows.size() == hdf5::read_integer(g, "length", config));
    REQUIRE(windows.output_steps() == hdf5::read_integer(g, "output_steps", config));
    CHECK(windows.channel_names() == hdf5::read_string_list(golden, "field_names", "golden"));
    CHECK(windows.constant_channel_names() == hdf5::read_string_list(golden, "constant_field_names", "golden"));
    CHECK(windows.scalar_names() == hdf5::read_string_list(golden, "scalar_names", "golden"));
    CHECK(windows.constant_scalar_names() == hdf5::read_string_list(golden, "constant_scalar_names", "golden"));

    const auto input = read_all<float>(g, "input_fields", H5::PredType::NATIVE_FLOAT);
    const auto output = read_all<float>(g, "output_fields", H5::PredType::NATIVE_FLOAT);
    const auto input_time = read_all<float>(g, "input_time_grid", H5::PredType::NATIVE_FLOAT);
    const auto output_time = read_all<float>(g, "output_time_grid", H5::PredType::NATIVE_FLOAT);
    const auto bcs = read_all<float>(g, "boundary_conditions", H5::PredType::NATIVE_FLOAT);
    const auto space = read_all<float>(g, "space_grid", H5::PredType::NATIVE_FLOAT);
    const auto x = read_all<float>(g, "formatted_input", H5::PredType::NATIVE_FLOAT);
    const auto y = read_all<float>(g, "formatted_target", H5::PredType::NATIVE_FLOAT);
    const auto origin = read_all<std::int64_t>(g, "item_origin", H5::PredType::NATIVE_INT64);
    const bool constants = has(g, "constant_fields");
    const auto constant =
        constants ? read_all<float>(g, "constant_fields", H5::PredType::NATIVE_FLOAT) : std::vector<float>{};
    CHECK(constants == (windows.constant_channels() > 0));
    const bool scalars = has(g, "input_scalars");
    CHECK(scalars == !windows.scalar_names().empty());
    const auto in_scalars =
        scalars ? read_all<float>(g, "input_scalars", H5::PredType::NATIVE_FLOAT) : std::vector<float>{};
    const auto out_scalars =
        scalars ? read_all<float>(g, "output_scalars", H5::PredType::NATIVE_FLOAT) : std::vector<float>{};
    const bool constant_scalars = has(g, "constant_scalars");
    CHECK(constant_scalars == !windows.constant_scalar_names().empty());
    const auto const_scalars =
        constant_scalars ? read_all<float>(g, "constant_scalars", H5::PredType::NATIVE_FLOAT) : std::vector<float>{};

    Window w;
    ModelInput m;
    for (std::int64_t index = 0; index < windows.size(); ++index) {
      const auto n = static_cast<std::size_t>(index);
      windows.read(index, w);
      CHECK(static_cast<std::int64_t>(w.origin.file) == origin[3 * n]);
      CHECK(w.origin.trajectory == origin[3 * n + 1]);
      CHECK(w.origin.start_step == origin[3 * n + 2]);
      check_item(input, n, w.input, "input_fields");
      check_item(output, n, w.output, "output_fields");
      if (constants) check_item(constant, n, w.constants, "constant_fields");
      check_item(input_time, n, as_float(w.input_time), "input_time_grid");
      check_item(output_time, n, as_float(w.output_time), "output_time_grid");
      if (scalars) {
        check_item(in_scalars, n, as_float(w.input_scalars), "input_scalars");
        check_item(out_scalars, n, as_float(w.output_scalars), "output_scalars");
      }
      if (constant_scalars) check_item(const_scalars, n, as_float(w.constant_scalars), "constant_scalars");

      const WellFileInfo& info = windows.info();
      std::vector<float> codes;
      for (const auto& faces : info.boundary)
        for (auto bc : faces)
          codes.push_back(static_cast<float>(bc_code(bc)));
      check_item(bcs, n, codes, "boundary_conditions");
      // space_grid: meshgrid(coordinates, indexing="ij") stacked last.
      std::vector<float> grid;
      const int d = info.ndim();
      std::int64_t points = windows.points();
      for (std::int64_t p = 0; p < points; ++p) {
        std::vector<std::int64_t> idx(static_cast<std::size_t>(d));
        std::int64_t rest = p;
        for (int k = d - 1; k >= 0; --k) {
          idx[static_cast<std::size_t>(k)] = rest % info.spatial_shape[static_cast<std::size_t>(k)];
          rest /= info.spatial_shape[static_cast<std::size_t>(k)];
        }
        for (int k = 0; k < d; ++k)
          grid.push_back(static_cast<float>(info.coordinates[static_cast<std::size_t>(k)][static_cast<std::size_t>(
              idx[static_cast<std::size_t>(k)])]));
      }
      check_item(space, n, grid, "space_grid");

      format_channels_first(windows, w, m);
      check_item(x, n, m.x, "formatted_input");
      check_item(y, n, m.y, "formatted_target");
      CHECK(m.replaced_in_x.total() == w.input_non_finite.total() + w.constants_non_finite.total());
      CHECK(m.replaced_in_y == w.output_non_finite);
    }
  }
}

TEST_CASE("golden fixtures hold the NaN and Inf values they are meant to test", "[windows][golden]") {
  const WindowedDataset windows =
      WindowedDataset::open(open_well_dataset(golden_root() + "periodic2d").splits[0].files, WindowSpec{});
  NonFiniteCounts input, constants;
  Window w;
  for (std::int64_t i = 0; i < windows.size(); ++i) {
    windows.read(i, w);
    input += w.input_non_finite;
    constants += w.constants_non_finite;
  }
  CHECK(input.nan > 0);
  CHECK(input.positive_infinity > 0);
  CHECK(input.negative_infinity > 0);
  CHECK(constants.total() > 0);
}
