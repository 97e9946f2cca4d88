#include "gavel/surrogates/load_model.hpp"

#include <filesystem>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/surrogates/fno.hpp"
#include "gavel/surrogates/model_config.hpp"
#include "gavel/surrogates/unet_classic.hpp"
#include "gavel/surrogates/unet_convnext.hpp"

namespace gavel::surrogates {

std::string detect_architecture(const SafetensorsFile& file) {
  if (file.find("model.fno_blocks.convs.weight.0.core")) return "TFNO";
  if (file.find("model.fno_blocks.convs.weight.0.tensor")) return "FNO";
  if (file.find("encoder1.enc1conv1.weight")) return "UNetClassic";
  if (file.find("in_proj.weight")) return "UNetConvNext";
  throw Error(file.path() +
              ": not a checkpoint of FNO, TFNO, UNetClassic or UNetConvNext (none of their tensor names)");
}

template <class ExecSpace>
std::shared_ptr<Model<ExecSpace>> load_model(const std::string& checkpoint, const std::string& architecture) {
  namespace fs = std::filesystem;
  const fs::path given(checkpoint);
  const fs::path folder = fs::is_directory(given) ? given : given.parent_path();
  const fs::path weights = fs::is_directory(given) ? given / "model.safetensors" : given;
  if (!fs::exists(weights)) {
    for (const char* pickle : {"model.pt", "model.pth", "pytorch_model.bin"})
      if (fs::exists(folder / pickle))
        throw Error((folder / pickle).string() +
                    ": a pickle-based PyTorch checkpoint; gavel loads only model.safetensors (no code runs on load)");
    throw Error(checkpoint + ": no model.safetensors");
  }
  const fs::path config_path = folder / "config.json";
  if (!fs::exists(config_path)) throw Error(checkpoint + ": no config.json beside the weights");
  const SafetensorsFile file(weights.string());
  const ModelConfig config = ModelConfig::read(config_path.string());
  const std::string kind = architecture.empty() ? detect_architecture(file) : architecture;
  if (kind == "FNO") return std::make_shared<FNO<ExecSpace>>(config, file, FNO<ExecSpace>::Factorization::dense);
  if (kind == "TFNO") return std::make_shared<FNO<ExecSpace>>(config, file, FNO<ExecSpace>::Factorization::tucker);
  if (kind == "UNetClassic") return std::make_shared<UNetClassic<ExecSpace>>(config, file);
  if (kind == "UNetConvNext") return std::make_shared<UNetConvNext<ExecSpace>>(config, file);
  throw Error("unknown architecture '" + kind + "' (expected FNO, TFNO, UNetClassic or UNetConvNext)");
}

#define GAVEL_INSTANTIATE_LOAD_MODEL(SPACE) \
  template std::shared_ptr<Model<SPACE>> load_model<SPACE>(const std::string&, const std::string&);
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_LOAD_MODEL)

}  // namespace gavel::surrogates
