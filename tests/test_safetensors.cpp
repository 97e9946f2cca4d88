// The safetensors reader on files built byte by byte here, including every way a header can lie.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <cmath>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "gavel/core/error.hpp"
#include "gavel/surrogates/model_config.hpp"
#include "gavel/surrogates/safetensors.hpp"
#include "gavel/surrogates/weights.hpp"
#include "temp_folder.hpp"

using namespace gavel;
using namespace gavel::surrogates;
using Catch::Matchers::ContainsSubstring;

namespace {

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

/// header JSON + data block, with the 8-byte little-endian length in front.
std::string safetensors_bytes(const nlohmann::json& header, const std::string& data) {
  const std::string text = header.dump();
  const std::uint64_t n = text.size();
  std::string bytes(8, '\0');
  std::memcpy(bytes.data(), &n, 8);
  return bytes + text + data;
}

template <class T>
std::string raw(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

}  // namespace

TEST_CASE("safetensors: dtypes convert to float32 exactly where they can", "[safetensors]") {
  const std::vector<float> f32{1.5f, -2.25f, 3.0e-5f, 7.0f, -0.0f, 1.0e20f};
  const std::vector<std::uint16_t> f16{0x3c00, 0xc000, 0x0001,
                                       0x7bff, 0x7c00, 0x3555};           // 1, -2, 2^-24, 65504, inf, 0.333
  const std::vector<std::uint16_t> bf16{0x3f80, 0xc040, 0x0000, 0x7f80};  // 1, -3, 0, inf
  const std::vector<double> f64{0.1, -1e300};
  const std::vector<std::int64_t> i64{42};
  std::string data = raw(f32);
  nlohmann::json header;
  auto add = [&](const std::string& name, const std::string& dtype, std::vector<int> shape, const std::string& bytes) {
    const std::size_t begin = data.size();
    if (name != "a") data += bytes;
    header[name] = {{"dtype", dtype}, {"shape", shape}, {"data_offsets", {name == "a" ? 0 : begin, data.size()}}};
  };
  add("a", "F32", {2, 3}, "");
  add("half", "F16", {6}, raw(f16));
  add("brain", "BF16", {2, 2}, raw(bf16));
  add("double", "F64", {2}, raw(f64));
  add("bn.num_batches_tracked", "I64", {}, raw(i64));
  header["__metadata__"] = {{"format", "pt"}};
  test::TempFolder folder;
  write_bytes(folder / "m.safetensors", safetensors_bytes(header, data));

  const SafetensorsFile file(folder / "m.safetensors");
  CHECK(file.tensors().size() == 5);
  CHECK(file.metadata().at("format") == "pt");
  CHECK(file.find("a")->shape == std::vector<std::int64_t>{2, 3});
  CHECK(file.read("a") == f32);
  const auto h = file.read("half");
  CHECK(h[0] == 1.0f);
  CHECK(h[1] == -2.0f);
  CHECK(h[2] == std::ldexp(1.0f, -24));
  CHECK(h[3] == 65504.0f);
  CHECK(std::isinf(h[4]));
  CHECK(h[5] == 0.333251953125f);
  CHECK(file.read("brain") == std::vector<float>{1.0f, -3.0f, 0.0f, INFINITY});
  CHECK(file.read("double")[0] == 0.1f);
  CHECK(file.read("bn.num_batches_tracked") == std::vector<float>{42.0f});
  CHECK_THROWS_WITH(file.read("nope"), ContainsSubstring("no tensor 'nope'"));

  Weights weights(file);
  CHECK(weights.take("a", {2, 3}) == f32);
  weights.take("half", {3, 2});
  weights.take("missing.weight", {4});
  weights.ignore_suffix(".num_batches_tracked");
  try {
    weights.finish();
    FAIL("finish() accepted a checkpoint with problems");
  } catch (const Error& e) {
    const std::string m = e.what();
    CHECK_THAT(m, ContainsSubstring("missing:\n    missing.weight (4)"));
    CHECK_THAT(m, ContainsSubstring("half is (6), expected (3,2)"));
    CHECK_THAT(m, ContainsSubstring("unexpected:\n    brain (2,2)\n    double (2)"));
    CHECK_THAT(m, !ContainsSubstring("num_batches_tracked"));
  }
}

TEST_CASE("safetensors: broken headers and pickle files are refused with the file named", "[safetensors][errors]") {
  test::TempFolder folder;
  const std::string p = folder / "bad.safetensors";
  auto refuse = [&](const std::string& bytes, const std::string& message) {
    write_bytes(p, bytes);
    INFO(message);
    CHECK_THROWS_WITH(SafetensorsFile(p), ContainsSubstring("bad.safetensors") && ContainsSubstring(message));
  };
  const std::string four_floats = raw(std::vector<float>{1, 2, 3, 4});
  auto one = [](const std::string& dtype, std::vector<int> shape, std::size_t b, std::size_t e) {
    return nlohmann::json{{"w", {{"dtype", dtype}, {"shape", shape}, {"data_offsets", {b, e}}}}};
  };
  refuse("abc", "too short");
  refuse(safetensors_bytes(one("F32", {4}, 0, 16), four_floats).substr(0, 30), "exceeds the file");
  refuse(safetensors_bytes(one("F32", {4}, 0, 32), four_floats), "outside the data");
  refuse(safetensors_bytes(one("F32", {3}, 0, 16), four_floats), "16 bytes for 3 F32 values");
  refuse(safetensors_bytes(one("C64", {2}, 0, 16), four_floats), "unsupported dtype 'C64'");
  refuse(safetensors_bytes(nlohmann::json::array(), ""), "not a JSON object");
  {
    std::string bytes = safetensors_bytes(one("F32", {4}, 0, 16), four_floats);
    bytes[8] = '#';
    refuse(bytes, "not valid JSON");
  }
  {
    nlohmann::json h = one("F32", {2}, 0, 8);
    h["v"] = {{"dtype", "F32"}, {"shape", {2}}, {"data_offsets", {4, 12}}};
    refuse(safetensors_bytes(h, four_floats), "overlap");
  }
  refuse(std::string("PK\x03\x04", 4) + "archive/data.pkl", "pickle-based PyTorch checkpoint");
  refuse(std::string("\x80\x02}q\x00.", 6), "pickle-based PyTorch checkpoint");
  CHECK_THROWS_WITH(SafetensorsFile(folder / "absent.safetensors"), ContainsSubstring("cannot open"));
}

TEST_CASE("config.json: typed getters name the file and key", "[safetensors][errors]") {
  test::TempFolder folder;
  write_bytes(folder / "config.json", R"({"dim_in": 32, "modes1": 16, "spatial_resolution": [64, 64], "name": 3})");
  const ModelConfig config = ModelConfig::read(folder / "config.json");
  CHECK(config.integer("dim_in") == 32);
  CHECK(config.integer("hidden_channels", 128) == 128);
  CHECK(config.integers("spatial_resolution") == std::vector<std::int64_t>{64, 64});
  CHECK_THROWS_WITH(config.integer("dim_out"), ContainsSubstring("config.json: key 'dim_out' is missing"));
  CHECK_THROWS_WITH(config.text("name", ""), ContainsSubstring("'name' is not a string"));
  write_bytes(folder / "broken.json", "{\"dim_in\": ");
  CHECK_THROWS_WITH(ModelConfig::read(folder / "broken.json"), ContainsSubstring("broken.json: not valid JSON"));
}
