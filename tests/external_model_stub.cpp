// A stand-in for a user's model program in the external-model protocol tests:
//   external_model_stub MODE REQUEST RESPONSE
// MODE "affine": output channel c = 2·(input channel c) + 1; "fail": exit 3; "silent": write
// nothing; "wrong_shape": an output with one channel too many.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <H5Cpp.h>

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  const std::string mode = argv[1];
  if (mode == "fail") return 3;
  if (mode == "silent") return 0;
  const H5::H5File request(argv[2], H5F_ACC_RDONLY);
  const H5::DataSet input = request.openDataSet("input");
  std::int64_t out_channels = 0;
  request.openAttribute("out_channels").read(H5::PredType::NATIVE_INT64, &out_channels);
  const H5::DataSpace space = input.getSpace();
  std::vector<hsize_t> dims(static_cast<std::size_t>(space.getSimpleExtentNdims()));
  space.getSimpleExtentDims(dims.data());
  std::size_t n = 1;
  for (auto d : dims)
    n *= d;
  std::vector<float> x(n);
  input.read(x.data(), H5::PredType::NATIVE_FLOAT);
  std::size_t points = 1;
  for (std::size_t k = 2; k < dims.size(); ++k)
    points *= dims[k];
  std::vector<hsize_t> out_dims = dims;
  out_dims[1] = static_cast<hsize_t>(out_channels) + (mode == "wrong_shape" ? 1 : 0);
  std::vector<float> y(out_dims[0] * out_dims[1] * points);
  for (std::size_t b = 0; b < out_dims[0]; ++b)
    for (std::size_t c = 0; c < out_dims[1]; ++c)
      for (std::size_t p = 0; p < points; ++p)
        y[(b * out_dims[1] + c) * points + p] = 2.0f * x[(b * dims[1] + c % dims[1]) * points + p] + 1.0f;
  H5::H5File response(argv[3], H5F_ACC_TRUNC);
  response
      .createDataSet("output", H5::PredType::IEEE_F32LE,
                     H5::DataSpace(static_cast<int>(out_dims.size()), out_dims.data()))
      .write(y.data(), H5::PredType::NATIVE_FLOAT);
  return 0;
}
