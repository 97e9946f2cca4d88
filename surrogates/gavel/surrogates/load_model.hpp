#pragma once

#include <memory>
#include <string>

#include "gavel/surrogates/model.hpp"
#include "gavel/surrogates/safetensors.hpp"

namespace gavel::surrogates {

/// Which of the native families a checkpoint holds, from its tensor names: "FNO", "TFNO",
/// "UNetClassic" or "UNetConvNext". Throws gavel::Error naming the file when none fits.
std::string detect_architecture(const SafetensorsFile& file);

/// Opens a checkpoint as The Well publishes it — a folder with `model.safetensors` and
/// `config.json` (or the path of the .safetensors file, with config.json beside it) — and builds
/// the native model. `architecture` empty means detect it. Errors name the folder and problem.
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
std::shared_ptr<Model<ExecSpace>> load_model(const std::string& checkpoint, const std::string& architecture = "");

}  // namespace gavel::surrogates
