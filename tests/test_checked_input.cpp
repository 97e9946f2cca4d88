// Checked sizes and untrusted JSON: the helpers every parser uses for sizes from input.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <cstdint>
#include <fstream>
#include <limits>
#include <string>

#include "gavel/core/checked_size.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/json_input.hpp"
#include "gavel/eval/report_files.hpp"
#include "temp_folder.hpp"

using namespace gavel;
using Catch::Matchers::ContainsSubstring;

TEST_CASE("checked sizes refuse overflow and negative operands, naming what was computed", "[checked_size]") {
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  CHECK(checked_multiply(3, 7, "x") == 21);
  CHECK(checked_multiply(0, max, "x") == 0);
  CHECK(checked_add(max - 1, 1, "x") == max);
  CHECK(checked_product({4, 5, 6}, "x") == 120);
  CHECK(checked_product(std::vector<std::int64_t>{}, "x") == 1);
  // A zero extent makes the product 0 even when the others would overflow together.
  CHECK(checked_product({max, max, 0}, "x") == 0);
  CHECK_THROWS_WITH(checked_multiply(std::int64_t{1} << 32, std::int64_t{1} << 31, "tensor 'w'"),
                    ContainsSubstring("tensor 'w'") && ContainsSubstring("overflows"));
  CHECK_THROWS_WITH(checked_add(max, 1, "--batch"), ContainsSubstring("--batch") && ContainsSubstring("overflows"));
  CHECK_THROWS_WITH(checked_product({2, -3}, "shape"), ContainsSubstring("negative"));
  // 2^21 cubed is 2^63: one past the largest int64.
  CHECK_THROWS_AS(checked_product({1 << 21, 1 << 21, 1 << 21}, "core"), Error);
  CHECK(checked_product({1 << 21, 1 << 21, (1 << 21) - 1}, "core") > 0);
}

TEST_CASE("allocations larger than the machine's memory are refused before they are tried", "[checked_size]") {
  const std::int64_t memory = physical_memory_bytes();
  REQUIRE(memory > 0);
  CHECK(checked_allocation_bytes(1024, 4, "x") == 4096);
  CHECK_THROWS_WITH(checked_allocation_bytes(memory / 4 + 1, 4, "--batch 4611686018427387904"),
                    ContainsSubstring("--batch 4611686018427387904") && ContainsSubstring("memory"));
  CHECK_THROWS_WITH(checked_allocation_bytes(std::int64_t{1} << 62, 8, "hidden_channels"),
                    ContainsSubstring("hidden_channels") && ContainsSubstring("overflows"));
}

TEST_CASE("untrusted JSON: depth is limited before parsing, errors name the source", "[json_input]") {
  CHECK(parse_json_input(R"({"a": [1, {"b": "[[[[{{{{"}]})", "f.json")["a"][1]["b"] == "[[[[{{{{");
  const std::string at_limit = std::string(kJsonMaxDepth, '[') + std::string(kJsonMaxDepth, ']');
  CHECK(parse_json_input(at_limit, "f.json").is_array());
  const std::string deep = std::string(300000, '[') + std::string(300000, ']');
  CHECK_THROWS_WITH(parse_json_input(deep, "model.safetensors header"),
                    ContainsSubstring("model.safetensors header") && ContainsSubstring("nested deeper"));
  // Escaped quotes inside strings do not end the string.
  CHECK(parse_json_input(R"(["\"[[[[", 1])", "f.json")[1] == 1);
  CHECK_THROWS_WITH(parse_json_input("{\"a\": ", "config.json"),
                    ContainsSubstring("config.json") && ContainsSubstring("not valid JSON"));
}

TEST_CASE("sizes in JSON must be non-negative integers that fit", "[json_input]") {
  CHECK(json_size(nlohmann::json::parse("12"), "x") == 12);
  CHECK(json_size(nlohmann::json::parse("9223372036854775807"), "x") == std::numeric_limits<std::int64_t>::max());
  CHECK_THROWS_WITH(json_size(nlohmann::json::parse("9223372036854775808"), "data_offsets"),
                    ContainsSubstring("data_offsets") && ContainsSubstring("too large"));
  CHECK_THROWS_WITH(json_size(nlohmann::json::parse("-1"), "shape"), ContainsSubstring("negative"));
  CHECK_THROWS_WITH(json_size(nlohmann::json::parse("1.18e21"), "data_offsets"),
                    ContainsSubstring("non-negative integer"));
  CHECK_THROWS_AS(json_size(nlohmann::json::parse("2.0"), "x"), Error);
  CHECK_THROWS_AS(json_size(nlohmann::json::parse("\"3\""), "x"), Error);
  CHECK_THROWS_AS(json_size(nlohmann::json::parse("true"), "x"), Error);
}

TEST_CASE("a report.json nested deeper than any report is refused by name", "[json_input][report]") {
  test::TempFolder tmp;
  const std::string path = tmp / "report.json";
  std::ofstream(path) << R"({"schema": "gavel-report/1", "status": "complete", "x": )" << std::string(100000, '[')
                      << std::string(100000, ']') << "}";
  CHECK_THROWS_WITH(eval::read_report(path), ContainsSubstring(path) && ContainsSubstring("nested deeper"));
}
