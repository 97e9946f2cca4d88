#pragma once

#include <Kokkos_Core.hpp>

/// Explicit instantiation over every execution space this Kokkos build enables, so templated
/// kernels can live in .cpp files: `GAVEL_FOR_EACH_ENABLED_SPACE(INSTANTIATE)` expands
/// `INSTANTIATE(Kokkos::Serial)`, `INSTANTIATE(Kokkos::OpenMP)`, `INSTANTIATE(Kokkos::Cuda)` for
/// those present. Kokkos::DefaultExecutionSpace and DefaultHostExecutionSpace are among them.
#if defined(KOKKOS_ENABLE_SERIAL)
#define GAVEL_FOR_SERIAL_SPACE(M) M(Kokkos::Serial)
#else
#define GAVEL_FOR_SERIAL_SPACE(M)
#endif
#if defined(KOKKOS_ENABLE_OPENMP)
#define GAVEL_FOR_OPENMP_SPACE(M) M(Kokkos::OpenMP)
#else
#define GAVEL_FOR_OPENMP_SPACE(M)
#endif
#if defined(KOKKOS_ENABLE_CUDA)
#define GAVEL_FOR_CUDA_SPACE(M) M(Kokkos::Cuda)
#else
#define GAVEL_FOR_CUDA_SPACE(M)
#endif
#define GAVEL_FOR_EACH_ENABLED_SPACE(M) GAVEL_FOR_SERIAL_SPACE(M) GAVEL_FOR_OPENMP_SPACE(M) GAVEL_FOR_CUDA_SPACE(M)
