#include "gavel/surrogates/layers/pointwise.hpp"

#include <string>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/surrogates/layers/detail/kernel_support.hpp"

namespace gavel::surrogates::layers {

namespace {

/// One task = a tile of OB output channels × PT points of one sample. With PointsFastest the
/// task index runs fastest along the points (GPU: neighbouring threads read neighbouring
/// points); otherwise along the channel blocks (host: one thread reuses the input tile it has
/// in cache for every channel block).
template <int OB, int PT, bool PointsFastest, Activation Act, bool Accumulate>
struct PointwiseKernel {
  const float* in;
  float* out;
  const float* weight_t;  // (in, out)
  const float* bias;      // nullptr: none
  std::int64_t cin, cout, points, point_tiles, channel_blocks;

  KOKKOS_INLINE_FUNCTION void operator()(const std::int64_t task) const {
    std::int64_t tile, block, sample;
    if (PointsFastest) {
      tile = task % point_tiles;
      block = (task / point_tiles) % channel_blocks;
      sample = task / point_tiles / channel_blocks;
    } else {
      block = task % channel_blocks;
      tile = (task / channel_blocks) % point_tiles;
      sample = task / channel_blocks / point_tiles;
    }
    const std::int64_t p0 = tile * PT;
    const std::int64_t o0 = block * OB;
    const int np = static_cast<int>(detail::min64(PT, points - p0));
    const int no = static_cast<int>(detail::min64(OB, cout - o0));
    const float* x = in + sample * cin * points + p0;
    float* y = out + (sample * cout + o0) * points + p0;
    float acc[OB][PT];
    for (int o = 0; o < OB; ++o)
      for (int p = 0; p < PT; ++p)
        acc[o][p] = 0.0f;
    if (np == PT && no == OB) {
      for (std::int64_t i = 0; i < cin; ++i) {
        const float* xi = x + i * points;
        const float* wi = weight_t + i * cout + o0;
        for (int o = 0; o < OB; ++o) {
          const float w = wi[o];
          for (int p = 0; p < PT; ++p)
            acc[o][p] += w * xi[p];
        }
      }
    } else {
      for (std::int64_t i = 0; i < cin; ++i) {
        const float* xi = x + i * points;
        const float* wi = weight_t + i * cout + o0;
        for (int o = 0; o < no; ++o) {
          const float w = wi[o];
          for (int p = 0; p < np; ++p)
            acc[o][p] += w * xi[p];
        }
      }
    }
    for (int o = 0; o < no; ++o) {
      const float b = bias ? bias[o0 + o] : 0.0f;
      float* yo = y + o * points;
      for (int p = 0; p < np; ++p) {
        float v = acc[o][p] + b;
        if (Accumulate) v += yo[p];
        if (Act == Activation::gelu) v = gelu(v);
        yo[p] = v;
      }
    }
  }
};

template <class ExecSpace, Activation Act, bool Accumulate>
void launch(const ExecSpace& exec, const float* in, float* out, const float* weight_t, const float* bias,
            std::int64_t cin, std::int64_t cout, std::int64_t batch, std::int64_t points) {
  constexpr bool host = detail::host_space<ExecSpace>;
  constexpr int OB = 8;
  constexpr int PT = host ? 32 : 1;
  using Kernel = PointwiseKernel<OB, PT, !host, Act, Accumulate>;
  const std::int64_t point_tiles = (points + PT - 1) / PT;
  const std::int64_t channel_blocks = (cout + OB - 1) / OB;
  Kernel kernel{in, out, weight_t, bias, cin, cout, points, point_tiles, channel_blocks};
  Kokkos::parallel_for("gavel::pointwise",
                       detail::RangePolicy<ExecSpace>(exec, 0, batch * point_tiles * channel_blocks), kernel);
}

}  // namespace

template <class ExecSpace>
Pointwise<ExecSpace>::Pointwise(std::int64_t in_channels, std::int64_t out_channels, const std::vector<float>& weight,
                                const std::vector<float>& bias)
    : in_channels_(in_channels), out_channels_(out_channels) {
  if (in_channels <= 0 || out_channels <= 0)
    throw Error("pointwise layer: channel counts must be positive, got " + std::to_string(in_channels) + " → " +
                std::to_string(out_channels));
  if (static_cast<std::int64_t>(weight.size()) != in_channels * out_channels)
    throw Error("pointwise layer: weight holds " + std::to_string(weight.size()) + " values, expected " +
                std::to_string(out_channels) + "×" + std::to_string(in_channels));
  if (!bias.empty() && static_cast<std::int64_t>(bias.size()) != out_channels)
    throw Error("pointwise layer: bias holds " + std::to_string(bias.size()) + " values, expected " +
                std::to_string(out_channels));
  std::vector<float> transposed(weight.size());
  for (std::int64_t o = 0; o < out_channels; ++o)
    for (std::int64_t i = 0; i < in_channels; ++i)
      transposed[static_cast<std::size_t>(i * out_channels + o)] =
          weight[static_cast<std::size_t>(o * in_channels + i)];
  weight_t_ = detail::upload<memory_space>(transposed, "gavel::pointwise::weight");
  if (!bias.empty()) bias_ = detail::upload<memory_space>(bias, "gavel::pointwise::bias");
}

template <class ExecSpace>
void Pointwise<ExecSpace>::apply(const ExecSpace& exec, const ConstView& in, const View& out, std::int64_t batch,
                                 std::int64_t points, Activation activation, bool accumulate) const {
  if (batch < 0 || points < 0) throw Error("pointwise layer: negative batch or point count");
  detail::require_length(in, batch * in_channels_ * points, "pointwise layer: input");
  detail::require_length(out, batch * out_channels_ * points, "pointwise layer: output");
  if (batch == 0 || points == 0) return;
  const float* bias = has_bias() ? bias_.data() : nullptr;
  const auto go = [&](auto act, auto acc) {
    launch<ExecSpace, decltype(act)::value, decltype(acc)::value>(exec, in.data(), out.data(), weight_t_.data(), bias,
                                                                  in_channels_, out_channels_, batch, points);
  };
  if (activation == Activation::tanh) throw Error("pointwise: only none and gelu epilogues exist");
  using None = std::integral_constant<Activation, Activation::none>;
  using Gelu = std::integral_constant<Activation, Activation::gelu>;
  if (activation == Activation::gelu)
    accumulate ? go(Gelu{}, std::true_type{}) : go(Gelu{}, std::false_type{});
  else
    accumulate ? go(None{}, std::true_type{}) : go(None{}, std::false_type{});
}

#define GAVEL_INSTANTIATE_POINTWISE(SPACE) template class Pointwise<SPACE>;
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_POINTWISE)
#undef GAVEL_INSTANTIATE_POINTWISE

}  // namespace gavel::surrogates::layers
