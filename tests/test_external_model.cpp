// The external-model protocol with a stand-in model program (external_model_stub.cpp).
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "gavel/core/error.hpp"
#include "gavel/surrogates/external_model.hpp"
#include "temp_folder.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

using namespace gavel;
using namespace gavel::surrogates;
using Catch::Matchers::ContainsSubstring;

namespace {

ExternalModelSpec stub_spec(const std::string& mode, const std::string& folder) {
  ExternalModelSpec spec;
  spec.command = gavel::test::external_model_stub() + " " + mode + " {request} {response}";
  spec.in_channels = 3;
  spec.out_channels = 2;
  spec.work_folder = folder;
  return spec;
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("an external program answers forward calls through HDF5 files", "[external]",
                        test::ExecutionSpaces) {
  using Exec = TestType;
  test::TempFolder folder;
  ExternalModel<Exec> model(stub_spec("affine", folder / "exchange with space"));
  const std::int64_t batch = 2, points = 6 * 5;
  typename Model<Exec>::View in("in", static_cast<std::size_t>(batch * 3 * points)),
      out("out", static_cast<std::size_t>(batch * 2 * points));
  Kokkos::parallel_for(
      Kokkos::RangePolicy<Exec, Kokkos::IndexType<std::size_t>>(0, in.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i) { in(i) = 0.25f * static_cast<float>(i); });
  for (int call = 0; call < 2; ++call)
    model.forward(in, batch, {6, 5}, out, Exec());
  CHECK(model.calls() == 2);
  const auto x = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), in);
  const auto y = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out);
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::int64_t c = 0; c < 2; ++c)
      for (std::int64_t p = 0; p < points; ++p)
        CHECK(y(static_cast<std::size_t>((b * 2 + c) * points + p)) ==
              2.0f * x(static_cast<std::size_t>((b * 3 + c) * points + p)) + 1.0f);
  CHECK(std::filesystem::is_empty(folder.path() / "exchange with space"));  // exchange files removed
}

TEST_CASE("external model failures name the command or file", "[external][errors]") {
  using Exec = Kokkos::DefaultHostExecutionSpace;
  test::TempFolder folder;
  Model<Exec>::View in("in", 3 * 4), out("out", 2 * 4);
  ExternalModel<Exec> failing(stub_spec("fail", folder / "x"));
  CHECK_THROWS_WITH(failing.forward(in, 1, {2, 2}, out), ContainsSubstring("failed (exit status 3)"));
  ExternalModel<Exec> silent(stub_spec("silent", folder / "x"));
  CHECK_THROWS_WITH(silent.forward(in, 1, {2, 2}, out), ContainsSubstring("wrote no response"));
  ExternalModel<Exec> wrong(stub_spec("wrong_shape", folder / "x"));
  CHECK_THROWS_WITH(wrong.forward(in, 1, {2, 2}, out), ContainsSubstring("/output is (1,3,2,2), expected (1,2,2,2)"));
  CHECK_THROWS_WITH(wrong.forward(in, 1, {2, 2, 1}, out), ContainsSubstring("3 spatial extents for a 2-D model"));
  auto spec = stub_spec("affine", folder / "x");
  spec.command.clear();
  CHECK_THROWS_WITH(ExternalModel<Exec>(spec), ContainsSubstring("no command"));
}
