#pragma once

#include <random>
#include <string>
#include <vector>

#include "gavel/datasets/memory_source.hpp"

namespace gavel::test {

/// The structure of a small Well file: scalar (one pseudo), vector and tensor fields, a constant
/// field and one shared by all trajectories, on a grid with the given shape and faces.
inline datasets::WellFileInfo random_well_info(const std::vector<std::int64_t>& shape,
                                               std::vector<std::array<BoundaryCondition, 2>> faces,
                                               std::int64_t trajectories, std::int64_t steps) {
  datasets::WellFileInfo info;
  info.dataset_name = "random_fixture";
  info.grid_type = "cartesian";
  info.n_trajectories = trajectories;
  info.n_steps = steps;
  const char* names[] = {"x", "y", "z"};
  for (std::size_t k = 0; k < shape.size(); ++k) {
    info.spatial_dims.push_back(names[k]);
    info.spatial_shape.push_back(shape[k]);
    std::vector<double> coordinate;
    for (std::int64_t i = 0; i < shape[k]; ++i)
      coordinate.push_back((static_cast<double>(i) + 0.5) / static_cast<double>(shape[k]));
    info.coordinates.push_back(coordinate);
  }
  for (std::int64_t t = 0; t < steps; ++t)
    info.time.push_back(0.25 * static_cast<double>(t));
  info.boundary = std::move(faces);
  info.simulation_parameters = {{"viscosity", 0.001}};
  auto add = [&](const std::string& name, int order, bool pseudo, bool time_varying, bool sample_varying) {
    datasets::WellField f;
    f.name = name;
    f.order = order;
    f.pseudo = pseudo;
    f.time_varying = time_varying;
    f.sample_varying = sample_varying;
    info.fields.push_back(f);
  };
  add("density", 0, false, true, true);
  add("vorticity", 0, true, true, true);
  add("obstacle", 0, false, false, false);
  add("porosity", 0, false, false, true);
  add("velocity", 1, false, true, true);
  add("stress", 2, false, true, true);
  return info;
}

/// `info` filled with standard-normal float32 values from `seed`.
inline datasets::MemorySource random_well_source(const datasets::WellFileInfo& info, unsigned seed) {
  datasets::MemorySource source(info);
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  for (std::size_t f = 0; f < source.info().fields.size(); ++f)
    for (auto& v : source.values(f))
      v = normal(rng);
  return source;
}

}  // namespace gavel::test
