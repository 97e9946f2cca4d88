#include "gavel/eval/batch_size.hpp"

#include <algorithm>
#include <string>

#include "gavel/core/checked_size.hpp"
#include "gavel/core/error.hpp"

namespace gavel::eval {

std::int64_t windows_per_call(std::int64_t requested, std::int64_t windows, std::int64_t copies,
                              std::int64_t values_per_window) {
  if (requested < 1) throw Error("--batch " + std::to_string(requested) + ": must be at least 1");
  const std::int64_t batch = std::min(requested, std::max<std::int64_t>(windows, 1));
  const std::string what = "--batch " + std::to_string(requested) + " (" + std::to_string(batch) + " windows × " +
                           std::to_string(copies) + " copies × " + std::to_string(values_per_window) +
                           " values per window in one model call; lower --batch)";
  checked_allocation_bytes(checked_product({batch, copies, values_per_window}, what), sizeof(float), what);
  return batch;
}

}  // namespace gavel::eval
