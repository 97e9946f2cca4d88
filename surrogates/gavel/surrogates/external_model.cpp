#include "gavel/surrogates/external_model.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>

#include <H5Cpp.h>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/surrogates/weights.hpp"

namespace gavel::surrogates {
namespace external {
namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

/// Single-quoted for the shell, so paths with spaces or quotes pass through intact.
std::string quoted(const std::string& text) {
  return "'" + replace_all(text, "'", "'\\''") + "'";
}

}  // namespace

void write_request(const std::string& path, const float* values, const std::vector<std::int64_t>& shape,
                   int out_channels, const std::string& response) {
  H5::Exception::dontPrint();
  try {
    H5::H5File file(path, H5F_ACC_TRUNC);
    const std::vector<hsize_t> dims(shape.begin(), shape.end());
    H5::DataSet set = file.createDataSet("input", H5::PredType::IEEE_F32LE,
                                         H5::DataSpace(static_cast<int>(dims.size()), dims.data()));
    set.write(values, H5::PredType::NATIVE_FLOAT);
    auto integer = [&](const char* name, std::int64_t value) {
      file.createAttribute(name, H5::PredType::STD_I64LE, H5::DataSpace(H5S_SCALAR))
          .write(H5::PredType::NATIVE_INT64, &value);
    };
    integer("gavel_protocol_version", 1);
    integer("out_channels", out_channels);
    const H5::StrType text(H5::PredType::C_S1, H5T_VARIABLE);
    const char* response_path = response.c_str();
    file.createAttribute("response", text, H5::DataSpace(H5S_SCALAR)).write(text, &response_path);
  } catch (const H5::Exception& e) {
    throw Error(path + ": cannot write the model request: " + e.getDetailMsg());
  }
}

std::vector<float> read_response(const std::string& path, const std::vector<std::int64_t>& shape) {
  if (!std::filesystem::exists(path)) throw Error(path + ": the external model wrote no response");
  H5::Exception::dontPrint();
  try {
    if (!H5::H5File::isHdf5(path.c_str())) throw Error(path + ": the response is not an HDF5 file");
    const H5::H5File file(path, H5F_ACC_RDONLY);
    if (H5Lexists(file.getId(), "output", H5P_DEFAULT) <= 0) throw Error(path + ": dataset 'output' is missing");
    const H5::DataSet set = file.openDataSet("output");
    const H5::DataSpace space = set.getSpace();
    std::vector<hsize_t> dims(static_cast<std::size_t>(space.getSimpleExtentNdims()));
    space.getSimpleExtentDims(dims.data());
    const std::vector<std::int64_t> got(dims.begin(), dims.end());
    if (got != shape) throw Error(path + ": /output is " + shape_text(got) + ", expected " + shape_text(shape));
    if (set.getDataType().getClass() != H5T_FLOAT) throw Error(path + ": /output is not floating point");
    std::size_t n = 1;
    for (auto e : shape)
      n *= static_cast<std::size_t>(e);
    std::vector<float> values(n);
    set.read(values.data(), H5::PredType::NATIVE_FLOAT);
    return values;
  } catch (const H5::Exception& e) {
    throw Error(path + ": cannot read the model response: " + e.getDetailMsg());
  }
}

void run_command(const std::string& command, const std::string& request, const std::string& response) {
  const std::string filled =
      replace_all(replace_all(command, "{request}", quoted(request)), "{response}", quoted(response));
  ::setenv("GAVEL_REQUEST", request.c_str(), 1);
  ::setenv("GAVEL_RESPONSE", response.c_str(), 1);
  const int status = std::system(filled.c_str());
  if (status == -1) throw Error("external model: cannot start '" + filled + "'");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw Error("external model: '" + filled + "' failed (" +
                (WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status)) : std::string("killed")) +
                ")");
}

}  // namespace external

template <class ExecSpace>
ExternalModel<ExecSpace>::ExternalModel(ExternalModelSpec spec) : spec_(std::move(spec)) {
  if (spec_.command.empty()) throw Error("external model: no command given");
  if (spec_.in_channels < 1 || spec_.out_channels < 1 || spec_.spatial_dims < 1 || spec_.spatial_dims > 3)
    throw Error("external model: channel counts must be positive and spatial_dims 1 to 3");
  std::error_code ec;
  std::filesystem::create_directories(spec_.work_folder, ec);
  if (!std::filesystem::is_directory(spec_.work_folder))
    throw Error(spec_.work_folder + ": cannot create the exchange folder for the external model");
}

template <class ExecSpace>
void ExternalModel<ExecSpace>::forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space,
                                       const View& out, const ExecSpace& exec) {
  if (static_cast<int>(space.size()) != spec_.spatial_dims)
    throw Error("external model: " + std::to_string(space.size()) + " spatial extents for a " +
                std::to_string(spec_.spatial_dims) + "-D model");
  std::vector<std::int64_t> in_shape{batch, spec_.in_channels}, out_shape{batch, spec_.out_channels};
  in_shape.insert(in_shape.end(), space.begin(), space.end());
  out_shape.insert(out_shape.end(), space.begin(), space.end());
  std::int64_t points = 1;
  for (auto n : space)
    points *= n;
  if (static_cast<std::int64_t>(in.extent(0)) != batch * spec_.in_channels * points ||
      static_cast<std::int64_t>(out.extent(0)) != batch * spec_.out_channels * points)
    throw Error("external model: input or output View does not hold " + shape_text(in_shape) + " / " +
                shape_text(out_shape) + " values");
  exec.fence();
  const auto host_in = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), in);
  const std::string stem = (std::filesystem::path(spec_.work_folder) / std::to_string(calls_++)).string();
  const std::string request = stem + "-request.hdf5", response = stem + "-response.hdf5";
  std::filesystem::remove(response);
  external::write_request(request, host_in.data(), in_shape, spec_.out_channels, response);
  external::run_command(spec_.command, request, response);
  const auto values = external::read_response(response, out_shape);
  if (!spec_.keep_files) {
    std::filesystem::remove(request);
    std::filesystem::remove(response);
  }
  auto host_out = Kokkos::create_mirror_view(out);
  for (std::size_t i = 0; i < values.size(); ++i)
    host_out(i) = values[i];
  Kokkos::deep_copy(exec, out, host_out);
  exec.fence();
}

template <class ExecSpace>
std::size_t ExternalModel<ExecSpace>::workspace_bytes(std::int64_t batch,
                                                      const std::vector<std::int64_t>& space) const {
  if (!Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename ExecSpace::memory_space>::accessible) return 0;
  std::int64_t points = 1;
  for (auto n : space)
    points *= n;
  return static_cast<std::size_t>(batch * spec_.out_channels * points) * sizeof(float);
}

#define GAVEL_INSTANTIATE_EXTERNAL_MODEL(SPACE) template class ExternalModel<SPACE>;
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_EXTERNAL_MODEL)

}  // namespace gavel::surrogates
