// libFuzzer harness: config.json text through ModelConfig and every getter the models use,
// with the keys and bounds of the FNO and U-Net constructors. Only gavel::Error may escape.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gavel/core/error.hpp"
#include "gavel/surrogates/model_config.hpp"

namespace {
template <class F>
void attempt(F&& f) {
  try {
    f();
  } catch (const gavel::Error&) {
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto config = gavel::surrogates::ModelConfig::parse(text, "fuzz/config.json");
    for (const char* key : {"n_spatial_dims", "dim_in", "dim_out", "hidden_channels", "modes1", "modes2", "modes3",
                            "init_features", "stages", "blocks_per_stage", "blocks_at_neck"}) {
      attempt([&] { config.integer(key); });
      attempt([&] { config.integer(key, 7); });
      attempt([&] { config.count(key, 4, 1, std::int64_t{1} << 16); });
      attempt([&] { config.count(key, -1, 0, 16); });
      attempt([&] { config.number(key, 0.5); });
      attempt([&] { config.flag(key, false); });
      attempt([&] { config.text(key, ""); });
      attempt([&] { config.integers(key); });
    }
    attempt([&] { config.integers("spatial_resolution"); });
  } catch (const gavel::Error&) {
  }
  return 0;
}
