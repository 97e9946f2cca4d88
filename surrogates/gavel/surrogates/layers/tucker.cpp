#include "gavel/surrogates/layers/tucker.hpp"

#include <algorithm>
#include <string>

#include <Kokkos_Core.hpp>

#include "gavel/core/checked_size.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/shape_text.hpp"

namespace gavel::surrogates::layers {

std::vector<float> tucker_to_dense(const std::vector<float>& core, const std::vector<std::int64_t>& ranks,
                                   const std::vector<std::vector<float>>& factors,
                                   const std::vector<std::int64_t>& dims) {
  const std::size_t order = ranks.size();
  if (order == 0 || dims.size() != order || factors.size() != order)
    throw Error("Tucker reconstruction: " + std::to_string(ranks.size()) + " ranks, " + std::to_string(dims.size()) +
                " dimensions and " + std::to_string(factors.size()) + " factors");
  // Ranks and dimensions come from a checkpoint: every size is computed with checked arithmetic
  // (a wrapped product could match an empty core) and every intermediate tensor, at most
  // max(R_k, D_k) per axis, is bounded before it is allocated.
  std::vector<std::int64_t> largest(order);
  for (std::size_t k = 0; k < order; ++k) {
    if (ranks[k] <= 0 || dims[k] <= 0) throw Error("Tucker reconstruction: ranks and dimensions must be positive");
    const std::string factor = "Tucker reconstruction: factor " + std::to_string(k);
    const std::int64_t expected = checked_product({dims[k], ranks[k], 2}, factor);
    if (static_cast<std::int64_t>(factors[k].size()) != expected)
      throw Error(factor + " holds " + std::to_string(factors[k].size()) + " values, expected " +
                  std::to_string(dims[k]) + "x" + std::to_string(ranks[k]) + "x2");
    largest[k] = std::max(ranks[k], dims[k]);
  }
  const std::int64_t size = checked_product(ranks, "Tucker reconstruction: core of ranks " + shape_text(ranks));
  if (static_cast<std::int64_t>(core.size()) != checked_multiply(2, size, "Tucker reconstruction: core"))
    throw Error("Tucker reconstruction: the core holds " + std::to_string(core.size()) + " values, expected " +
                std::to_string(2 * size));
  // Two double arrays (re, im) for the current and the next tensor.
  checked_allocation_bytes(checked_product(largest, "Tucker reconstruction: dense weight " + shape_text(dims)),
                           4 * static_cast<std::int64_t>(sizeof(double)),
                           "Tucker reconstruction: dense weight " + shape_text(dims));

  // Current tensor (D_0, …, D_{k−1}, R_k, …, R_{n−1}) as separate real and imaginary arrays.
  std::vector<double> re(static_cast<std::size_t>(size)), im(static_cast<std::size_t>(size));
  for (std::int64_t i = 0; i < size; ++i) {
    re[static_cast<std::size_t>(i)] = core[static_cast<std::size_t>(2 * i)];
    im[static_cast<std::size_t>(i)] = core[static_cast<std::size_t>(2 * i + 1)];
  }
  std::vector<std::int64_t> shape = ranks;
  for (std::size_t k = 0; k < order; ++k) {
    std::int64_t before = 1, after = 1;
    for (std::size_t j = 0; j < k; ++j)
      before *= shape[j];
    for (std::size_t j = k + 1; j < order; ++j)
      after *= shape[j];
    const std::int64_t r = ranks[k], d = dims[k];
    std::vector<double> u_re(static_cast<std::size_t>(d * r)), u_im(static_cast<std::size_t>(d * r));
    for (std::int64_t i = 0; i < d * r; ++i) {
      u_re[static_cast<std::size_t>(i)] = factors[k][static_cast<std::size_t>(2 * i)];
      u_im[static_cast<std::size_t>(i)] = factors[k][static_cast<std::size_t>(2 * i + 1)];
    }
    std::vector<double> next_re(static_cast<std::size_t>(before * d * after), 0.0);
    std::vector<double> next_im(next_re.size(), 0.0);
    // next(a, i, c) = Σ_s U(i, s) · current(a, s, c)
    const double* cr = re.data();
    const double* ci = im.data();
    const double* ur = u_re.data();
    const double* ui = u_im.data();
    double* nr = next_re.data();
    double* ni = next_im.data();
    Kokkos::parallel_for(
        "gavel::tucker_to_dense",
        Kokkos::RangePolicy<Kokkos::DefaultHostExecutionSpace, Kokkos::IndexType<std::int64_t>>(0, before * d),
        [=](const std::int64_t task) {
          const std::int64_t a = task / d, i = task % d;
          double* out_r = nr + task * after;
          double* out_i = ni + task * after;
          for (std::int64_t s = 0; s < r; ++s) {
            const double wr = ur[i * r + s], wi = ui[i * r + s];
            const double* in_r = cr + (a * r + s) * after;
            const double* in_i = ci + (a * r + s) * after;
            for (std::int64_t c = 0; c < after; ++c) {
              out_r[c] += wr * in_r[c] - wi * in_i[c];
              out_i[c] += wr * in_i[c] + wi * in_r[c];
            }
          }
        });
    Kokkos::fence();
    re.swap(next_re);
    im.swap(next_im);
    shape[k] = d;
  }
  std::vector<float> dense(2 * re.size());
  for (std::size_t i = 0; i < re.size(); ++i) {
    dense[2 * i] = static_cast<float>(re[i]);
    dense[2 * i + 1] = static_cast<float>(im[i]);
  }
  return dense;
}

}  // namespace gavel::surrogates::layers
