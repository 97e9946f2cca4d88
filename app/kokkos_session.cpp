#include "kokkos_session.hpp"

#include <cstdlib>
#include <memory>

#include <Kokkos_Core.hpp>

namespace gavel::app {

void ensure_kokkos() {
  static std::unique_ptr<Kokkos::ScopeGuard> guard;
  if (guard) return;
  ::setenv("OMP_PROC_BIND", "spread", 0);
  ::setenv("OMP_PLACES", "threads", 0);
  guard = std::make_unique<Kokkos::ScopeGuard>();
}

}  // namespace gavel::app
