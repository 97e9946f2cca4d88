// Catch2 runner that brings Kokkos up once for the whole test program.
#include <cstdlib>

#include <catch2/catch_session.hpp>

#include <Kokkos_Core.hpp>

int main(int argc, char* argv[]) {
  // Kokkos' OpenMP back end prints thread-binding advice to stdout when OMP_PROC_BIND is unset,
  // which CTest's test discovery would read as test names; unbound threads are what Kokkos
  // recommends for unit tests anyway.
  setenv("OMP_PROC_BIND", "false", 0);
  Kokkos::ScopeGuard kokkos(argc, argv);
  return Catch::Session().run(argc, argv);
}
