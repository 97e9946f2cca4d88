// Model::workspace_bytes and Model::parameter_bytes of every model family against what the models
// really hold: on a fresh model, forward(B) must leave exactly workspace_bytes(B) in its buffers,
// measured twice — on the Views themselves (held_workspace_bytes) and by Kokkos' own allocation
// callbacks, which also see a buffer the model's counts forget — and parameter_bytes must be what
// the checkpoint's tensors become once packed for the kernels (and what Kokkos saw the
// constructor keep). Golden checkpoints of tests/data/models.
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gavel/surrogates/fno.hpp"
#include "gavel/surrogates/layers/allocation_bytes.hpp"
#include "gavel/surrogates/layers/conv_kernels_host.hpp"
#include "gavel/surrogates/model_config.hpp"
#include "gavel/surrogates/normalized_model.hpp"
#include "gavel/surrogates/safetensors.hpp"
#include "gavel/surrogates/unet_classic.hpp"
#include "gavel/surrogates/unet_convnext.hpp"
#include "live_allocations.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

using namespace gavel;
using namespace gavel::surrogates;
using gavel::test::ExecutionSpaces;
using Index = std::int64_t;
using Extents = std::vector<Index>;

namespace {

std::string model_dir(const std::string& name) {
  return gavel::test::test_data_dir() + "/models/" + name;
}

template <class Model, class... Options>
std::unique_ptr<Model> load(const std::string& name, Options... options) {
  const auto config = ModelConfig::read(model_dir(name) + "/config.json");
  const SafetensorsFile file(model_dir(name) + "/model.safetensors");
  return std::make_unique<Model>(config, file, options...);
}

Index points_of(const Extents& grid) {
  Index p = 1;
  for (auto n : grid)
    p *= n;
  return p;
}

/// One forward pass of `batch` zero samples; returns the bytes the pass left allocated in the
/// model's memory space (the input and output views not counted), as Kokkos saw them.
template <class Space>
std::int64_t run(surrogates::Model<Space>& model, Index batch, const Extents& grid) {
  using View = Kokkos::View<float*, typename Space::memory_space>;
  const View in("in", static_cast<std::size_t>(batch * model.in_channels() * points_of(grid)));
  const View out("out", static_cast<std::size_t>(batch * model.out_channels() * points_of(grid)));
  const gavel::test::LiveAllocations live(Space::memory_space::name());
  model.forward(in, batch, grid, out, Space());
  Space().fence();
  return live.net_bytes();
}

/// The model as load() builds it, and the bytes Kokkos saw it keep allocated.
template <class Model, class... Options>
std::pair<std::unique_ptr<Model>, std::int64_t> load_counted(const std::string& name, Options... options) {
  const gavel::test::LiveAllocations live(Model::memory_space::name());
  auto model = load<Model>(name, options...);
  const std::int64_t bytes = live.net_bytes();
  return {std::move(model), bytes};
}

/// For batches 1 and 3 on each grid, a fresh model holds exactly workspace_bytes after forward;
/// the prediction grows with the batch and is 0 for an empty batch.
template <class Model, class Space = typename Model::execution_space>
void check_workspace(const std::string& name, const std::vector<Extents>& grids) {
  for (const auto& grid : grids)
    for (const Index batch : {Index{1}, Index{3}}) {
      auto [model, parameters] = load_counted<Model>(name);
      INFO(name << " on " << points_of(grid) << " points, batch " << batch);
      CHECK(model->held_workspace_bytes() == 0);
      CHECK(parameters == static_cast<std::int64_t>(model->parameter_bytes()));
      const std::size_t predicted = model->workspace_bytes(batch, grid);
      const std::int64_t allocated = run<Space>(*model, batch, grid);
      CHECK(model->held_workspace_bytes() == predicted);
      CHECK(allocated == static_cast<std::int64_t>(predicted));
      // Buffers only grow: a smaller batch afterwards keeps them as they are.
      CHECK(run<Space>(*model, 1, grid) == 0);
      CHECK(model->held_workspace_bytes() == predicted);
      CHECK(model->workspace_bytes(0, grid) == 0);
      CHECK(model->workspace_bytes(1, grid) < model->workspace_bytes(2, grid));
      CHECK(model->workspace_bytes(2, grid) < model->workspace_bytes(3, grid));
    }
}

template <class Space>
constexpr bool on_host = Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename Space::memory_space>::accessible;

/// Output channels per packed block of the convolution kernels on `Space`: the wide host tiles,
/// or the 4-channel tiles of the GPU path (forced on the host by Tiling::narrow).
template <class Space>
Index channel_block(layers::Tiling tiling) {
  return on_host<Space> && tiling != layers::Tiling::narrow ? layers::detail::kWideChannels : 4;
}

Index round_up(Index n, Index block) {
  return (n + block - 1) / block * block;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}
bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

/// Bytes of one View of `count` floats (Kokkos rounds each allocation up to 8 bytes).
std::size_t floats(Index count) {
  return layers::allocation_bytes(count, sizeof(float));
}

/// Bytes a packed convolution holds: output channels padded to the kernel's channel block per
/// input channel and tap, plus one scale and one shift per output channel (bias, BatchNorm and
/// layer scale are folded into those). Depthwise weights are kept as stored.
template <class Space>
std::size_t packed_bytes(layers::Tiling tiling, Index out, Index in, Index taps, bool depthwise) {
  return floats(depthwise ? out * taps : round_up(out, channel_block<Space>(tiling)) * in * taps) + 2 * floats(out);
}

Index taps_of(const TensorEntry& t) {
  Index taps = 1;
  for (std::size_t a = 2; a < t.shape.size(); ++a)
    taps *= t.shape[a];
  return taps;
}

/// What UNetClassic keeps of each checkpoint tensor, in bytes: the convolutions (out, in, k…)
/// and transposed convolutions (in, out, k…) packed; their biases and the BatchNorm statistics
/// live in the folded scale and shift, so they add nothing of their own.
template <class Space>
std::size_t unet_classic_bytes(layers::Tiling tiling, const TensorEntry& t) {
  if (!ends_with(t.name, ".weight") || t.shape.size() < 3) return 0;
  const bool transposed = contains(t.name, "upconv") || t.name == "conv.weight";
  const Index out = transposed ? t.shape[1] : t.shape[0], in = transposed ? t.shape[0] : t.shape[1];
  return packed_bytes<Space>(tiling, out, in, taps_of(t), false);
}

/// The same for UNetConvNext: LayerNorm weights and biases are kept as they are (the resampling
/// norms keep a zero bias of the same size), gamma is folded into pwconv2, conv biases into the
/// scale and shift.
template <class Space>
std::size_t unet_convnext_bytes(layers::Tiling tiling, const TensorEntry& t) {
  if (contains(t.name, ".norm.") || contains(t.name, "resample.block.0.")) return floats(t.elements());
  if (!ends_with(t.name, ".weight")) return 0;
  if (contains(t.name, "pwconv")) return packed_bytes<Space>(tiling, t.shape[0], t.shape[1], 1, false);
  const bool transposed = contains(t.name, "decoder.") && contains(t.name, "resample.block.1.");
  const Index out = transposed ? t.shape[1] : t.shape[0], in = transposed ? t.shape[0] : t.shape[1];
  return packed_bytes<Space>(tiling, out, in, taps_of(t), contains(t.name, "dwconv"));
}

/// Bytes of the checkpoint's tensors, each in a View of its own (all float32 in these fixtures),
/// except the spectral biases (n_layers, h, 1…), which each layer keeps h of.
std::size_t kept_bytes(const SafetensorsFile& file, Index hidden, bool (*keep)(const TensorEntry&)) {
  std::size_t bytes = 0;
  for (const auto& t : file.tensors()) {
    REQUIRE(t.dtype == "F32");
    REQUIRE(static_cast<Index>(t.end - t.begin) == t.elements() * 4);
    if (t.name == "model.fno_blocks.convs.bias")
      bytes += static_cast<std::size_t>(t.shape[0]) * floats(hidden);
    else if (keep(t))
      bytes += floats(t.elements());
  }
  return bytes;
}

bool tucker_part(const TensorEntry& t) {
  return ends_with(t.name, ".core") || contains(t.name, ".factors.");
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("FNO/TFNO: workspace_bytes is what forward leaves in the buffers and the plan",
                        "[workspace][fno]", ExecutionSpaces) {
  using Space = TestType;
  // Odd extents, a grid smaller than the modes (the weight's centre), and 3-D.
  check_workspace<FNO<Space>>("fno2d", {{20, 16}, {15, 12}, {4, 6}});
  check_workspace<FNO<Space>>("tfno2d", {{16, 12}, {9, 7}});
  check_workspace<FNO<Space>>("fno3d", {{8, 6, 10}, {5, 7, 4}});
  check_workspace<FNO<Space>>("tfno3d", {{8, 8, 8}, {6, 4, 10}});
}

TEMPLATE_LIST_TEST_CASE("FNO: the 256-wide MLP chunk is capped at 2^26 floats", "[workspace][fno]", ExecutionSpaces) {
  using Space = TestType;
  // 3 samples of 512×256 points would need 3·256·2^17 floats; 2 samples fit the budget.
  auto model = load<FNO<Space>>("fno2d");
  const Extents grid{512, 256};
  const std::size_t predicted = model->workspace_bytes(3, grid);
  run<Space>(*model, 3, grid);
  CHECK(model->held_workspace_bytes() == predicted);
  // w(B) = tables + B·(hidden, spectra, scratch) + min(B, 2)·(256-wide chunk): past 2 samples
  // the chunk stops growing and the rest stays linear in B.
  const std::size_t chunk = std::size_t{256} * 512 * 256 * sizeof(float);
  const std::size_t w1 = model->workspace_bytes(1, grid), w2 = model->workspace_bytes(2, grid);
  const std::size_t w3 = model->workspace_bytes(3, grid), w6 = model->workspace_bytes(6, grid);
  CHECK(w3 - w2 == w2 - w1 - chunk);
  CHECK(w6 - w3 == 3 * (w3 - w2));
}

TEMPLATE_LIST_TEST_CASE("U-Nets: workspace_bytes is what forward leaves in the Workspaces", "[workspace][unet]",
                        ExecutionSpaces) {
  using Space = TestType;
  check_workspace<UNetClassic<Space>>("unetclassic2d", {{32, 16}, {16, 48}});
  check_workspace<UNetClassic<Space>>("unetclassic3d", {{16, 16, 16}, {32, 16, 16}});
  check_workspace<UNetConvNext<Space>>("unetconvnext2d", {{32, 16}, {16, 16}});
  check_workspace<UNetConvNext<Space>>("unetconvnext3d", {{16, 8, 8}, {8, 4, 12}});
}

TEMPLATE_LIST_TEST_CASE("parameter_bytes: the checkpoint's tensors as the kernels keep them", "[workspace][params]",
                        ExecutionSpaces) {
  using Space = TestType;
  for (const std::string name : {"fno2d", "fno3d"}) {
    // Every tensor is kept at its size (transposed or split per layer, never padded).
    const SafetensorsFile file(model_dir(name) + "/model.safetensors");
    const auto model = load<FNO<Space>>(name);
    CHECK(model->parameter_bytes() ==
          kept_bytes(file, model->hidden_channels(), [](const TensorEntry&) { return true; }));
  }
  for (const std::string name : {"tfno2d", "tfno3d"}) {
    // The Tucker core and factors are rebuilt into the dense (h, h, M…) complex weight at load.
    const SafetensorsFile file(model_dir(name) + "/model.safetensors");
    const auto model = load<FNO<Space>>(name);
    const Index h = model->hidden_channels();
    const std::size_t dense = FNO<Space>::n_layers * floats(h * h * points_of(model->weight_modes()) * 2);
    CHECK(model->parameter_bytes() ==
          kept_bytes(file, h, [](const TensorEntry& t) { return !tucker_part(t); }) + dense);
  }
  // Both kernel families: the packing pads output channels to their own channel block.
  for (const auto tiling : {layers::Tiling::automatic, layers::Tiling::narrow}) {
    INFO("narrow tiles: " << (tiling == layers::Tiling::narrow));
    for (const std::string name : {"unetclassic2d", "unetclassic3d"}) {
      const SafetensorsFile file(model_dir(name) + "/model.safetensors");
      std::size_t bytes = 0;
      for (const auto& t : file.tensors())
        bytes += unet_classic_bytes<Space>(tiling, t);
      CHECK(load<UNetClassic<Space>>(name, tiling)->parameter_bytes() == bytes);
    }
    for (const std::string name : {"unetconvnext2d", "unetconvnext3d"}) {
      const SafetensorsFile file(model_dir(name) + "/model.safetensors");
      std::size_t bytes = 0;
      for (const auto& t : file.tensors())
        bytes += unet_convnext_bytes<Space>(tiling, t);
      CHECK(load<UNetConvNext<Space>>(name, tiling)->parameter_bytes() == bytes);
    }
  }
}

TEMPLATE_LIST_TEST_CASE("NormalizedModel adds its normalized input to the inner model's workspace",
                        "[workspace][normalization]", ExecutionSpaces) {
  using Space = TestType;
  std::shared_ptr<FNO<Space>> inner = load<FNO<Space>>("fno2d");  // 3 → 2 channels: 1 step of 2, 1 constant
  const AffineChannels variable{{0.5f, -1.0f}, {2.0f, 3.0f}}, constant{{0.0f}, {1.0f}},
      output{{1.0f, 2.0f}, {4.0f, 5.0f}};
  NormalizedModel<Space> model(inner, 1, variable, constant, output, false);
  const Extents grid{20, 16};
  const Index batch = 3;
  const std::size_t normalized = floats(batch * 3 * points_of(grid));
  CHECK(model.workspace_bytes(batch, grid) == inner->workspace_bytes(batch, grid) + normalized);
  CHECK(run<Space>(model, batch, grid) == static_cast<std::int64_t>(model.workspace_bytes(batch, grid)));
  CHECK(model.held_workspace_bytes() == normalized);
  CHECK(model.held_workspace_bytes() + inner->held_workspace_bytes() == model.workspace_bytes(batch, grid));
  // Three input and two output statistics, each a shift and a scale.
  CHECK(model.parameter_bytes() == inner->parameter_bytes() + 2 * floats(3) + 2 * floats(2));
}
