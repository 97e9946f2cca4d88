#pragma once

namespace gavel::app {

/// Starts Kokkos the first time a command needs kernels and stops it when the program exits;
/// commands that only read structure never pay for it. Unset OpenMP binding variables default
/// to OMP_PROC_BIND=spread, OMP_PLACES=threads (what Kokkos recommends, and no warning printed).
void ensure_kokkos();

}  // namespace gavel::app
