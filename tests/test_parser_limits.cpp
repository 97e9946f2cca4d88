// Hostile checkpoints, configs and stats files, built byte by byte: each is refused with a
// gavel::Error naming the file and the object, never a crash, a wrapped size or a bare
// third-party exception.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <netcdf.h>
#include <nlohmann/json.hpp>

#include "gavel/core/error.hpp"
#include "gavel/datasets/netcdf_common.hpp"
#include "gavel/datasets/netcdf_source.hpp"
#include "gavel/datasets/well_stats.hpp"
#include "gavel/surrogates/fno.hpp"
#include "gavel/surrogates/layers/tucker.hpp"
#include "gavel/surrogates/load_model.hpp"
#include "gavel/surrogates/model_config.hpp"
#include "gavel/surrogates/safetensors.hpp"
#include "gavel/surrogates/unet_classic.hpp"
#include "temp_folder.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

using namespace gavel;
using namespace gavel::surrogates;
using Catch::Matchers::ContainsSubstring;

namespace {

using Space = gavel::test::HostTestSpace;

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// The 8-byte little-endian header length, the header text as given, the data block.
std::string safetensors_bytes(const std::string& header, const std::string& data = "") {
  const std::uint64_t n = header.size();
  std::string bytes(8, '\0');
  std::memcpy(bytes.data(), &n, 8);
  return bytes + header + data;
}

std::string model_dir(const std::string& name) {
  return gavel::test::test_data_dir() + "/models/" + name;
}

/// A checkpoint folder: `name`'s config.json with `config_edit` applied, and its tensors (all
/// written as F32) with `header_edit` applied to the safetensors header.
std::string edited_checkpoint(const test::TempFolder& folder, const std::string& name,
                              const std::function<void(nlohmann::json&)>& config_edit,
                              const std::function<void(nlohmann::json&)>& header_edit = {}) {
  const std::string dir = folder / name;
  std::filesystem::create_directories(dir);
  nlohmann::json config = nlohmann::json::parse(read_bytes(model_dir(name) + "/config.json"));
  config_edit(config);
  write_bytes(dir + "/config.json", config.dump());
  const SafetensorsFile original(model_dir(name) + "/model.safetensors");
  nlohmann::json header;
  std::string data;
  for (const auto& t : original.tensors()) {
    const std::vector<float> values = original.read(t.name);
    const std::size_t begin = data.size();
    data.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
    header[t.name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {begin, data.size()}}};
  }
  if (header_edit) header_edit(header);
  write_bytes(dir + "/model.safetensors", safetensors_bytes(header.dump(), data));
  return dir;
}

std::string load_error(const std::string& dir) {
  try {
    load_model<Space>(dir);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("safetensors: __metadata__ nested 300 000 deep is refused before parsing", "[parser_limits][safetensors]") {
  test::TempFolder folder;
  const std::string path = folder / "deep.safetensors";
  const std::string deep = std::string(300000, '[') + std::string(300000, ']');
  write_bytes(path, safetensors_bytes("{\"__metadata__\": {\"a\": " + deep + "}}"));
  CHECK_THROWS_WITH(SafetensorsFile(path),
                    ContainsSubstring("deep.safetensors: header") && ContainsSubstring("nested deeper than 64 levels"));
}

TEST_CASE("safetensors: data_offsets and shapes must be non-negative integers that fit",
          "[parser_limits][safetensors]") {
  test::TempFolder folder;
  const std::string path = folder / "w.safetensors";
  const std::string four_floats(16, '\0');
  auto refuse = [&](const std::string& entry, const std::vector<std::string>& parts) {
    write_bytes(path, safetensors_bytes("{\"w\": " + entry + "}", four_floats));
    INFO(entry);
    try {
      SafetensorsFile file(path);
      FAIL("accepted");
    } catch (const Error& e) {
      for (const auto& part : parts)
        CHECK_THAT(e.what(), ContainsSubstring(part));
    }
  };
  // The fuzzer's case: a float out of size_t's range (undefined behaviour in get<size_t>).
  refuse(R"({"dtype": "F32", "shape": [4], "data_offsets": [0, 1.18e21]})",
         {"w.safetensors: tensor 'w': data_offsets", "expected a non-negative integer, found 1.18e+21"});
  refuse(R"({"dtype": "F32", "shape": [4], "data_offsets": [-16, 0]})", {"tensor 'w': data_offsets", "negative"});
  refuse(R"({"dtype": "F32", "shape": [4], "data_offsets": [0, 18446744073709551615]})",
         {"tensor 'w': data_offsets", "too large"});
  refuse(R"({"dtype": "F32", "shape": [4], "data_offsets": [0, 16, 32]})", {"data_offsets needs two numbers"});
  refuse(R"({"dtype": "F32", "shape": [4], "data_offsets": {"a": 0}})", {"data_offsets needs two numbers"});
  refuse(R"({"dtype": "F32", "shape": [4.0], "data_offsets": [0, 16]})", {"tensor 'w': shape", "found 4.0"});
  refuse(R"({"dtype": "F32", "shape": ["4"], "data_offsets": [0, 16]})", {"tensor 'w': shape"});
  refuse(R"({"dtype": "F32", "shape": [-4], "data_offsets": [0, 16]})", {"tensor 'w': shape", "negative"});
  refuse(R"({"dtype": "F32", "shape": 4, "data_offsets": [0, 16]})", {"shape is not a list"});
  refuse(R"({"dtype": 32, "shape": [4], "data_offsets": [0, 16]})", {"dtype is not a string"});
  std::string many_axes = "1";
  for (int axis = 1; axis < 40; ++axis)
    many_axes += ",1";
  refuse(R"({"dtype": "F32", "shape": [)" + many_axes + R"(], "data_offsets": [0, 16]})",
         {"tensor 'w': shape has 40 axes, at most 32"});
  // Extents whose product wraps int64 to 0 would match an empty byte range.
  refuse(R"({"dtype": "F32", "shape": [65536, 65536, 65536, 65536, 2], "data_offsets": [0, 0]})",
         {"tensor 'w': shape (65536,65536,65536,65536,2)", "overflows"});
  refuse(R"({"dtype": "F64", "shape": [4611686018427387904], "data_offsets": [0, 0]})", {"tensor 'w'", "overflows"});
}

TEST_CASE("a TFNO checkpoint whose Tucker core shape wraps int64 is refused, not a crash", "[parser_limits][fno]") {
  test::TempFolder folder;
  const std::string dir = edited_checkpoint(
      folder, "tfno2d", [](nlohmann::json&) {},
      [](nlohmann::json& header) {
        header["model.fno_blocks.convs.weight.0.core"]["shape"] = {65536, 65536, 65536, 65536, 2};
        header["model.fno_blocks.convs.weight.0.core"]["data_offsets"] = {0, 0};
      });
  CHECK_THAT(load_error(dir), ContainsSubstring("model.safetensors: tensor 'model.fno_blocks.convs.weight.0.core'") &&
                                  ContainsSubstring("overflows"));
}

TEST_CASE("Tucker reconstruction: ranks whose product wraps and dense weights beyond memory are errors",
          "[parser_limits][fno]") {
  const std::int64_t r = 65536;
  // Four factors (1 x 65536, complex) and an empty core: the rank product 2^64 wraps to 0.
  const std::vector<std::vector<float>> factors(4, std::vector<float>(static_cast<std::size_t>(2 * r)));
  CHECK_THROWS_WITH(layers::tucker_to_dense({}, {r, r, r, r}, factors, {1, 1, 1, 1}),
                    ContainsSubstring("Tucker reconstruction: core of ranks (65536,65536,65536,65536)") &&
                        ContainsSubstring("overflows"));
  // Rank-1 factors of length 2^20 on four axes: a dense weight of 2^80 values.
  const std::int64_t d = std::int64_t{1} << 20;
  const std::vector<std::vector<float>> long_factors(4, std::vector<float>(static_cast<std::size_t>(2 * d)));
  CHECK_THROWS_WITH(layers::tucker_to_dense({1.0f, 0.0f}, {1, 1, 1, 1}, long_factors, {d, d, d, d}),
                    ContainsSubstring("Tucker reconstruction: dense weight (1048576,1048576,1048576,1048576)"));
}

TEST_CASE("config.json nested 200 000 deep is refused before parsing", "[parser_limits][config]") {
  test::TempFolder folder;
  const std::string path = folder / "config.json";
  write_bytes(path, "{\"dim_in\": 3, \"extra\": " + std::string(200000, '[') + std::string(200000, ']') + "}");
  CHECK_THROWS_WITH(ModelConfig::read(path),
                    ContainsSubstring("config.json") && ContainsSubstring("nested deeper than 64 levels"));
}

TEST_CASE("config.json: sizes are bounded integers, checked before anything is allocated", "[parser_limits][config]") {
  test::TempFolder folder;
  SECTION("hidden_channels 10000000000 (was std::bad_alloc)") {
    const auto dir = edited_checkpoint(folder, "fno2d", [](nlohmann::json& c) { c["hidden_channels"] = 10000000000; });
    CHECK_THAT(load_error(dir), ContainsSubstring(dir + "/config.json: 'hidden_channels' is 10000000000, expected 1 to "
                                                        "65536"));
  }
  SECTION("a size within the limits that the checkpoint does not hold stops before allocating its zeros") {
    const auto dir = edited_checkpoint(folder, "fno2d", [](nlohmann::json& c) { c["hidden_channels"] = 65536; });
    CHECK_THAT(load_error(dir), ContainsSubstring(dir + "/model.safetensors: the tensors do not fit the model") &&
                                    ContainsSubstring("wrong shape") && ContainsSubstring("stopped checking") &&
                                    ContainsSubstring("more than the whole checkpoint holds"));
    const auto unet = edited_checkpoint(folder, "unetclassic2d", [](nlohmann::json& c) { c["init_features"] = 65536; });
    CHECK_THAT(load_error(unet), ContainsSubstring("stopped checking") && ContainsSubstring("encoder1.enc1conv"));
  }
  SECTION("negative, fractional, unsigned-wrapping and non-numeric sizes") {
    const auto negative = edited_checkpoint(folder, "fno2d", [](nlohmann::json& c) { c["modes1"] = -6; });
    CHECK_THAT(load_error(negative), ContainsSubstring("config.json: 'modes1' is -6, expected 1 to 65536"));
    const auto huge =
        edited_checkpoint(folder, "fno2d", [](nlohmann::json& c) { c["dim_in"] = 18446744073709551615u; });
    CHECK_THAT(load_error(huge), ContainsSubstring("config.json: key 'dim_in' is 18446744073709551615, too large"));
    const auto fraction = edited_checkpoint(folder, "fno2d", [](nlohmann::json& c) { c["dim_out"] = 2.5; });
    CHECK_THAT(load_error(fraction), ContainsSubstring("config.json: key 'dim_out' is not an integer: 2.5"));
    const auto text = edited_checkpoint(folder, "unetclassic2d", [](nlohmann::json& c) { c["dim_in"] = "3"; });
    CHECK_THAT(load_error(text), ContainsSubstring("config.json: key 'dim_in' is not an integer: \"3\""));
  }
}

namespace {

std::string stats_error(const test::TempFolder& folder, const std::string& text) {
  const std::string path = folder / "stats.yaml";
  write_bytes(path, text);
  try {
    datasets::WellStats::read(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

const std::string kGoodStats = "mean:\n  vorticity: 0.5\nstd:\n  vorticity: 2.0\n";

}  // namespace

TEST_CASE("stats.yaml: non-scalar keys are refused naming the file (was 'internal error: bad conversion')",
          "[parser_limits][stats]") {
  test::TempFolder folder;
  const std::string path = folder / "stats.yaml";
  CHECK_THAT(stats_error(folder, "[vorticity]: 0\n"),
             ContainsSubstring(path + ": a key is a list (line 1); keys must be names"));
  CHECK_THAT(stats_error(folder, "mean:\n  {vorticity: 1}: 0\nstd:\n  vorticity: 1\n"),
             ContainsSubstring(path + ": mean: a key is a mapping (line 2)"));
  CHECK_THAT(stats_error(folder, "mean:\n  ~: 0\n"), ContainsSubstring(path + ": mean: a key is empty"));
  CHECK(stats_error(folder, kGoodStats) == "no error");
}

TEST_CASE("stats.yaml: scales must be positive and finite, means finite, naming field and component",
          "[parser_limits][stats]") {
  test::TempFolder folder;
  const std::string path = folder / "stats.yaml";
  CHECK_THAT(stats_error(folder, "mean:\n  vorticity: 0.5\nstd:\n  vorticity: -2.0\n"),
             ContainsSubstring(path + ": std/vorticity: std -2 is not positive"));
  CHECK_THAT(stats_error(folder, "mean:\n  velocity: [0, 0]\nstd:\n  velocity: [1.0, 0]\n"),
             ContainsSubstring(path + ": std/velocity component 1: std 0 is not positive"));
  CHECK_THAT(stats_error(folder, kGoodStats + "rms:\n  vorticity: -1\n"),
             ContainsSubstring(path + ": rms/vorticity: rms -1 is not positive"));
  CHECK_THAT(stats_error(folder, kGoodStats + "std_delta:\n  vorticity: [[1, 2], [3, -4]]\n"),
             ContainsSubstring(path + ": std_delta/vorticity component 3: std_delta -4 is not positive"));
  CHECK_THAT(stats_error(folder, "mean:\n  vorticity: .nan\nstd:\n  vorticity: 1\n"),
             ContainsSubstring(path + ": mean/vorticity: nan is not finite"));
  CHECK_THAT(stats_error(folder, "mean:\n  vorticity: 0\nstd:\n  vorticity: .inf\n"),
             ContainsSubstring(path + ": std/vorticity: inf is not finite"));
  // Means may be negative or zero.
  CHECK(stats_error(folder, "mean:\n  vorticity: -3\nmean_delta:\n  vorticity: 0\nstd:\n  vorticity: 1\n") ==
        "no error");
}

TEST_CASE("stats.yaml: deep nesting and alias-expanded lists are errors, not crashes", "[parser_limits][stats]") {
  test::TempFolder folder;
  const std::string path = folder / "stats.yaml";
  const std::string nested = path + ": YAML nested deeper than";
  CHECK_THAT(stats_error(folder, "mean:\n  vorticity: " + std::string(300000, '[') + std::string(300000, ']') + "\n"),
             ContainsSubstring(nested));
  std::string block = "mean:\n  vorticity:\n    ";  // "- - - 0": block lists nested on one line
  for (int depth = 0; depth < 100000; ++depth)
    block += "- ";
  CHECK_THAT(stats_error(folder, block + "0\n"), ContainsSubstring(nested));
  std::string maps = "mean:\n  vorticity: ";
  for (int depth = 0; depth < 100000; ++depth)
    maps += "{a: ";
  CHECK_THAT(stats_error(folder, maps + "0" + std::string(100000, '}') + "\n"), ContainsSubstring(nested));
  // 1000 aliases of a 1000-long list: a million values from a 10 kB file.
  std::string row = "[0";
  for (int i = 1; i < 1000; ++i)
    row += ",0";
  std::string rows = "[*r";
  for (int i = 1; i < 1000; ++i)
    rows += ",*r";
  CHECK_THAT(stats_error(folder, "mean:\n  r: &r " + row + "]\n  vorticity: " + rows + "]\nstd:\n  vorticity: 1\n"),
             ContainsSubstring(path + ": mean/vorticity: more than 1024 values"));
  std::string long_row = row;
  for (int i = 0; i < 500; ++i)
    long_row += ",0";
  CHECK_THAT(stats_error(folder, "mean:\n  vorticity: " + long_row + "]\nstd:\n  vorticity: 1\n"),
             ContainsSubstring(path + ": mean/vorticity:") && ContainsSubstring("at most 1024 expected"));
}

TEST_CASE(
    "NetCDF: empty strings in a list-of-names attribute are no names (found by fuzzing: back() of an empty "
    "string)",
    "[parser_limits][netcdf]") {
  namespace nc = gavel::datasets::netcdf;
  test::TempFolder folder;
  const std::string path = folder / "aux.nc";
  int ncid = 0, x = 0, y = 0, u = 0;
  REQUIRE(nc_create(path.c_str(), NC_NETCDF4 | NC_CLOBBER, &ncid) == NC_NOERR);
  REQUIRE(nc_def_dim(ncid, "x", 4, &x) == NC_NOERR);
  REQUIRE(nc_def_dim(ncid, "y", 3, &y) == NC_NOERR);
  const int dims[] = {y, x};
  REQUIRE(nc_def_var(ncid, "u", NC_FLOAT, 2, dims, &u) == NC_NOERR);
  const char* names[] = {"", "u_error", ""};
  REQUIRE(nc_put_att_string(ncid, u, "ancillary_variables", 3, names) == NC_NOERR);
  REQUIRE(nc_enddef(ncid) == NC_NOERR);
  const std::vector<float> values(12, 1.0f);
  REQUIRE(nc_put_var_float(ncid, u, values.data()) == NC_NOERR);
  REQUIRE(nc_close(ncid) == NC_NOERR);

  REQUIRE(nc_open(path.c_str(), NC_NOWRITE, &ncid) == NC_NOERR);
  CHECK(nc::read_text_list(ncid, u, "ancillary_variables", path) == std::vector<std::string>{"u_error"});
  nc_close(ncid);
  const datasets::NetcdfSource source(path);
  REQUIRE(source.info().fields.size() == 1);
  CHECK(source.info().fields[0].name == "u");
}
