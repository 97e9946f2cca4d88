#include "gavel/datasets/physics_profile.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "gavel/core/admissible_group.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/subgroups.hpp"

namespace gavel::datasets {
namespace {

constexpr const char* kAxisNames[] = {"x", "y", "z"};
constexpr int kX = 0;
constexpr int kY = 1;
constexpr int kZ = 2;

using BC = BoundaryCondition;
constexpr std::array<BC, 2> kPeriodic{BC::periodic, BC::periodic};
constexpr std::array<BC, 2> kWall{BC::wall, BC::wall};
constexpr std::array<BC, 2> kOpen{BC::open, BC::open};
constexpr std::array<BC, 2> kWallOpen{BC::wall, BC::open};

const char* const kRuleSummary =
    "rules: no-flip:AXES, no-swap[:AXES], shear:A,B, no-shift[:AXES], no-reflection, trivial "
    "(axes x, y, z; e.g. \"no-flip:y,no-shift:x\")";

std::string axis_list(const std::vector<int>& axes) {
  std::string text;
  for (int a : axes)
    text += (text.empty() ? "" : ",") + std::string(kAxisNames[a]);
  return text;
}

PhysicsConstraint make(ConstraintRule rule, std::vector<int> axes, std::string reason) {
  PhysicsConstraint c;
  c.rule = rule;
  c.axes = std::move(axes);
  c.reason = std::move(reason);
  return c;
}

/// One table entry.
PhysicsProfile entry(std::string name, std::string physics, std::string grid_type, std::vector<std::string> dims,
                     std::vector<std::int64_t> shape, std::vector<std::array<BC, 2>> boundary,
                     std::vector<PhysicsConstraint> constraints, std::vector<std::string> notes,
                     bool uncertain = false) {
  PhysicsProfile p;
  p.name = std::move(name);
  p.physics = std::move(physics);
  p.grid_type = std::move(grid_type);
  p.spatial_dims = std::move(dims);
  p.shape = std::move(shape);
  p.boundary = std::move(boundary);
  p.constraints = std::move(constraints);
  p.notes = std::move(notes);
  p.uncertain = uncertain;
  return p;
}

PhysicsProfile acoustic(const std::string& name, const std::string& medium) {
  return entry(name,
               "Linear acoustics in a variable medium (clawpack vc_acoustics_2D): p_t + K div(u) = 0, "
               "u_t + grad(p)/rho = 0, with " +
                   medium + " given as the constant fields density and speed_of_sound.",
               "cartesian", {"x", "y"}, {256, 256}, {kWallOpen, kWallOpen}, {},
               {"The equations are isotropic and the medium is a constant input field that moves with the data, "
                "so the physics breaks nothing.",
                "A wall at each low face and an open (extrapolation) face at each high face leave only the "
                "transpose x<->y (the admissible group).",
                "The dataset README says walls in x and open in y; the files and the generation script "
                "(bc_lower = wall, bc_upper = extrap on both axes) say otherwise; gavel uses what the file records."});
}

PhysicsProfile rayleigh_benard(const std::string& name, const std::string& sampling_note) {
  return entry(
      name,
      "2-D Boussinesq convection (Dedalus): b_t - kappa lap(b) = -u.grad(b), u_t - nu lap(u) + grad(p) - b e_y = "
      "-u.grad(u), between no-slip plates held at b = Lz (bottom) and b = 0 (top); x periodic.",
      "cartesian", {"x", "y"}, {512, 128}, {kPeriodic, kWall},
      {make(ConstraintRule::keep_direction, {kY},
            "gravity: buoyancy acts along +y (the b e_y term) and the plates hold different buoyancy (heated from "
            "below); reversing y turns the unstable layer into a stable one")},
      {"x-flips and periodic x-shifts are exact: the equations are invariant under x -> -x with u_x -> -u_x.",
       "Boussinesq convection also has the mid-plane reflection y -> Lz - y combined with b -> Lz - b (and a "
       "pressure gauge change); it maps fields affinely, which gavel's field action cannot express, so it is "
       "not used.",
       sampling_note});
}

PhysicsProfile viscoelastic(const std::string& name, const std::string& version_note) {
  return entry(name,
               "2-D FENE-P viscoelastic channel flow (Dedalus; Beneitez et al. 2024): velocity, pressure and the "
               "conformation tensor C (c_zz as a scalar), no-slip walls at y = +-1, x periodic, Re = 1000, Wi = 50.",
               "cartesian", {"x", "y"}, {512, 512}, {kPeriodic, kWall},
               {make(ConstraintRule::keep_direction, {kX},
                     "the channel is pressure-driven along +x (its laminar state is a Poiseuille profile); "
                     "reversing x reverses the driving")},
               {"The y-flip about the channel centre line is exact: no-slip walls on both faces and a driving "
                "profile even in y.",
                "The grid is 512x512 but samples a 2pi x 2 channel, and the walls in y already rule out the "
                "transpose and 90-degree rotations.",
                "The README shows only grad(p); the driving along x is taken from the associated paper (laminar "
                "Poiseuille base state).",
                version_note});
}

PhysicsProfile trl(const std::string& name, int ndim) {
  const bool three = ndim == 3;
  const std::string vertical = three ? "z" : "y";
  return entry(name,
               std::string("Compressible Euler with radiative cooling (Athena++; Fielding et al. 2020): a ") +
                   (three ? "3-D" : "2-D") +
                   " Kelvin-Helmholtz mixing layer between cold dense gas (below) and hot dilute gas (above) moving "
                   "relative to each other; no gravity.",
               "cartesian", three ? std::vector<std::string>{"x", "y", "z"} : std::vector<std::string>{"x", "y"},
               three ? std::vector<std::int64_t>{128, 128, 256} : std::vector<std::int64_t>{128, 384},
               three ? std::vector<std::array<BC, 2>>{kPeriodic, kPeriodic, kOpen}
                     : std::vector<std::array<BC, 2>>{kPeriodic, kOpen},
               {},
               {"No constraint: the equations (no gravity; cooling and heating depend on the local state only) are "
                "isotropic, the hot-above-cold layering and the relative motion are initial conditions, and the " +
                    vertical + " faces are zero-gradient on both sides, so " + vertical +
                    "-flips map one valid problem onto another.",
                "Uncertain: if the runs keep the mixing layer in place by boosting the frame or by inflow at the hot "
                "boundary (done in some mixing-layer studies), the " +
                    vertical + "-flip is broken; add --constraints no-flip:" + vertical + " to exclude it.",
                std::string("The data always show cold gas below hot gas: flipped inputs lie outside the training "
                            "distribution even where the equations allow them.")},
               true);
}

std::vector<PhysicsProfile> build_table() {
  const std::vector<std::string> xy{"x", "y"};
  const std::vector<std::string> xyz{"x", "y", "z"};
  const std::string spherical_reason =
      "spherical grid: gavel's symmetries are Cartesian signed axis permutations and shifts, none of which maps "
      "a spherical grid onto itself";
  std::vector<PhysicsProfile> t;
  t.push_back(acoustic("acoustic_scattering_discontinuous", "a piecewise-constant medium (random discontinuities)"));
  t.push_back(acoustic("acoustic_scattering_inclusions", "a background medium with random inclusions"));
  t.push_back(acoustic("acoustic_scattering_maze", "a maze of near-rigid walls (density 1e6)"));
  t.push_back(entry("active_matter",
                    "Active nematic suspension in a Stokes fluid (Maddu et al.): concentration, velocity, "
                    "orientation tensor D and strain-rate tensor E, periodic square.",
                    "cartesian", xy, {256, 256}, {kPeriodic, kPeriodic}, {},
                    {"The continuum model is isotropic (no external field); the plane-wave perturbations of the "
                     "initial orientation are initial conditions. D4 and periodic shifts are exact."}));
  t.push_back(
      entry("convective_envelope_rsg",
            "Radiation hydrodynamics of a red supergiant's convective envelope (Athena++) on a spherical (r, theta, "
            "phi) grid with radial gravity.",
            "spherical", {"r", "theta", "phi"}, {256, 128, 256}, {kOpen, kPeriodic, kPeriodic},
            {make(ConstraintRule::trivial, {}, spherical_reason)},
            {"Rotations about the polar axis (shifts along phi) would be exact for a non-rotating star with radial "
             "gravity; gavel does not represent symmetries of spherical grids yet.",
             "Boundary conditions as the_well reduces them: r open, theta and phi periodic (from the reference notes; "
             "the theta faces are poles, not truly periodic)."},
            true));
  t.push_back(entry("euler_multi_quadrants_openBC",
                    "Compressible Euler equations of an ideal gas (several gamma) from 2-D Riemann (multi-quadrant) "
                    "initial states, open boundaries.",
                    "cartesian", xy, {512, 512}, {kOpen, kOpen}, {},
                    {"Isotropic equations; the quadrant layout is an initial condition. D4 is exact."}));
  t.push_back(entry("euler_multi_quadrants_periodicBC",
                    "Compressible Euler equations of an ideal gas (several gamma) from 2-D Riemann (multi-quadrant) "
                    "initial states, periodic boundaries.",
                    "cartesian", xy, {512, 512}, {kPeriodic, kPeriodic}, {},
                    {"Isotropic equations; the quadrant layout is an initial condition. D4 and periodic shifts are "
                     "exact."}));
  t.push_back(entry("gray_scott_reaction_diffusion",
                    "Gray-Scott reaction-diffusion of two species A and B: isotropic diffusion plus local reactions, "
                    "periodic square.",
                    "cartesian", xy, {128, 128}, {kPeriodic, kPeriodic}, {},
                    {"No advection, no external field: D4 and periodic shifts are exact."}));
  t.push_back(entry(
      "helmholtz_staircase",
      "Time-harmonic acoustic scattering of a point source by a periodic sound-hard staircase: U = u(x) "
      "exp(-i omega t), stored as pressure_re and pressure_im, with the staircase as the constant field mask.",
      "cartesian", xy, {1024, 256}, {kOpen, kOpen}, {},
      {"No constraint: the staircase is an input (the constant mask field) that moves with the data, and the step "
       "from one frame to the next is the pointwise phase rotation exp(-i omega dt), which commutes with every "
       "grid symmetry.",
       "Uncertain: the reduced boundary conditions depend on the files' masks (x_open_neumann, xy_wall, "
       "y_open_neumann, read in that order); the table assumes every face open, giving the four flips of the "
       "1024x256 grid.",
       "The staircase is always at the bottom in the data: y-flipped inputs lie outside the training "
       "distribution."},
      true));
  for (const std::string& name : {std::string("MHD_256"), std::string("MHD_64")}) {
    const std::int64_t n = name == "MHD_64" ? 64 : 256;
    t.push_back(entry(
        name,
        "Isothermal compressible ideal MHD turbulence without self-gravity (Burkhart et al.), periodic cube" +
            std::string(n == 64 ? ", downsampled from MHD_256." : "."),
        "cartesian", xyz, {n, n, n}, {kPeriodic, kPeriodic, kPeriodic}, {},
        {"No constraint: the equations are isotropic, and ideal MHD is invariant under B -> -B, so treating the "
         "magnetic field as a polar vector (The Well's convention, gavel's default) still gives exact reflections.",
         "A mean magnetic field in the initial state (Alfven Mach numbers 0.7 and 2 suggest one) is part of the "
         "state, conserved in the periodic box, not of the equations; rotated inputs carry it along another axis, "
         "outside the training distribution. Add --constraints no-swap:x to keep it in place if it lies along x "
         "(not checked here)."}));
  }
  t.push_back(
      entry("planetswe",
            "Forced hyperviscous rotating shallow water on the sphere (Dedalus) with Earth-like topography and daily "
            "and annual forcing, on an equiangular (theta, phi) grid.",
            "equiangular", {"theta", "phi"}, {256, 512}, {kOpen, kPeriodic},
            {make(ConstraintRule::trivial, {},
                  "equiangular latitude-longitude grid on the sphere: no Cartesian grid symmetry applies; and the "
                  "physics breaks the sphere's own symmetries too (topography and the moving day/year forcing break "
                  "phi-shifts, the Coriolis force and topography break the north-south reflection)")},
            {}));
  t.push_back(entry(
      "post_neutron_star_merger",
      "General-relativistic MHD with neutrino transport of the accretion disk left by a neutron-star merger, on a "
      "spherical (log r, theta, phi) grid around a spinning black hole.",
      "spherical", {"log_r", "theta", "phi"}, {192, 128, 66}, {kOpen, kPeriodic, kPeriodic},
      {make(ConstraintRule::trivial, {}, spherical_reason)},
      {"The black hole's spin axis makes the equations axisymmetric, so shifts along phi would be exact if gavel "
       "represented them; the disk's rotation breaks reflections that reverse phi.",
       "Boundary conditions as the_well reduces them: log_r open, theta and phi periodic (from the reference "
       "notes)."},
      true));
  t.push_back(rayleigh_benard("rayleigh_benard",
                              "y is sampled on Chebyshev nodes (symmetric about the mid-plane), so the y-flip of the "
                              "grid itself is exact; it is the physics that breaks it."));
  t.push_back(rayleigh_benard("rayleigh_benard_uniform",
                              "A variant in the_well repository: rayleigh_benard resampled on a uniform y grid."));
  t.push_back(entry(
      "rayleigh_taylor_instability",
      "3-D variable-density miscible Rayleigh-Taylor turbulence (TurMix3D): heavy fluid above light fluid under "
      "gravity along z, periodic side walls, slip walls at the top and bottom.",
      "cartesian", xyz, {128, 128, 128}, {kPeriodic, kPeriodic, kWall},
      {make(ConstraintRule::keep_direction, {kZ},
            "gravity along z (the rho g term): reversing z puts the heavy fluid below the light one, a stable "
            "stratification")},
      {"The horizontal x-y plane is isotropic (periodic square cross-section): D4 in x-y and shifts along x and y "
       "are exact; z already differs from x and y by its walls.",
       "In the Boussinesq limit (small Atwood number) an up-down reflection combined with rho -> rho_heavy + "
       "rho_light - rho is a symmetry; it maps the density affinely, which gavel cannot express."}));
  t.push_back(
      entry("shear_flow",
            "2-D incompressible Navier-Stokes with a passive tracer (Dedalus), periodic box of 1 x 2, no forcing; the "
            "shear layers are set up by the initial condition.",
            "cartesian", xy, {256, 512}, {kPeriodic, kPeriodic}, {},
            {"No constraint: without forcing the equations are isotropic; the mean shear is an initial condition and "
             "decays freely. The rectangular grid already rules out 90-degree rotations and the transpose, leaving the "
             "flips, the 180-degree rotation and the periodic shifts.",
             "The dataset README and yaml give 128x256 (the group is the same); the reference notes and the issue give "
             "256x512.",
             "Flips reverse or mirror the initial shear layers: in the physics, possibly outside the training "
             "distribution."}));
  for (const std::string& name : {std::string("supernova_explosion_128"), std::string("supernova_explosion_64")}) {
    const std::int64_t n = name == "supernova_explosion_64" ? 64 : 128;
    t.push_back(entry(name,
                      "Supernova blast wave in a turbulent molecular cloud: SPH hydrodynamics (ASURA-FDPS) with "
                      "self-gravity and radiative cooling/heating, deposited on a cube with open boundaries.",
                      "cartesian", xyz, {n, n, n}, {kOpen, kOpen, kOpen}, {},
                      {"No constraint: self-gravity and cooling are isotropic, the energy is injected at the centre "
                       "of the box, and the turbulent cloud is an initial condition. Oh is exact for the equations; "
                       "the particle-to-grid deposition need not be exactly symmetric (not checked)."}));
  }
  t.push_back(entry("turbulence_gravity_cooling",
                    "Turbulent interstellar medium with self-gravity and radiative cooling/heating: SPH "
                    "(ASURA-FDPS) deposited on a cube with open boundaries.",
                    "cartesian", xyz, {64, 64, 64}, {kOpen, kOpen, kOpen}, {},
                    {"No constraint: self-gravity (Poisson) and cooling are isotropic and there is no external "
                     "field; the virialised turbulent sphere is an initial condition. Oh is exact for the equations; "
                     "the particle-to-grid deposition need not be exactly symmetric (not checked)."}));
  t.push_back(trl("turbulent_radiative_layer_2D", 2));
  t.push_back(trl("turbulent_radiative_layer_3D", 3));
  t.push_back(viscoelastic("viscoelastic_instability",
                           "Deprecated in the_well (processing errors); viscoelastic_instability_v2 replaces it."));
  t.push_back(viscoelastic("viscoelastic_instability_v2",
                           "The reprocessed version in the_well repository (same physics and layout)."));
  std::sort(t.begin(), t.end(), [](const PhysicsProfile& a, const PhysicsProfile& b) { return a.name < b.name; });
  return t;
}

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t\n");
  if (begin == std::string::npos) return "";
  const auto end = s.find_last_not_of(" \t\n");
  return s.substr(begin, end - begin + 1);
}

std::string lowered(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::optional<int> axis_index(const std::string& word) {
  const std::string w = lowered(word);
  for (int a = 0; a < kMaxSpatialDims; ++a)
    if (w == kAxisNames[a]) return a;
  return std::nullopt;
}

std::optional<ConstraintRule> rule_named(std::string word) {
  word = lowered(word);
  std::replace(word.begin(), word.end(), '_', '-');
  for (ConstraintRule r : {ConstraintRule::keep_direction, ConstraintRule::keep_axis, ConstraintRule::keep_shear,
                           ConstraintRule::no_shift, ConstraintRule::proper, ConstraintRule::trivial})
    if (word == to_string(r)) return r;
  return std::nullopt;
}

bool takes_axes(ConstraintRule rule) {
  return rule != ConstraintRule::proper && rule != ConstraintRule::trivial;
}

/// Checks the axis count of a parsed rule; `where` names the text for the message.
void check_parsed(const PhysicsConstraint& c, const std::string& where) {
  if (c.rule == ConstraintRule::keep_direction && c.axes.empty())
    throw Error(where + ": no-flip needs the axes whose direction is fixed, e.g. no-flip:y");
  if (c.rule == ConstraintRule::keep_shear && c.axes.size() != 2)
    throw Error(where +
                ": shear needs two different axes, the flow direction and the gradient direction, e.g. "
                "shear:x,y");
}

}  // namespace

std::string to_string(ConstraintRule rule) {
  switch (rule) {
    case ConstraintRule::keep_direction:
      return "no-flip";
    case ConstraintRule::keep_axis:
      return "no-swap";
    case ConstraintRule::keep_shear:
      return "shear";
    case ConstraintRule::no_shift:
      return "no-shift";
    case ConstraintRule::proper:
      return "no-reflection";
    case ConstraintRule::trivial:
      return "trivial";
  }
  return "?";
}

std::string PhysicsConstraint::text() const {
  return to_string(rule) + (axes.empty() ? std::string() : ":" + axis_list(axes));
}

bool PhysicsConstraint::allows(const GroupElement& g) const {
  const int n = g.ndim();
  std::vector<int> listed;
  for (int a : axes)
    if (a < n) listed.push_back(a);
  if (axes.empty())
    for (int a = 0; a < n; ++a)
      listed.push_back(a);
  switch (rule) {
    case ConstraintRule::keep_direction:
      return std::all_of(listed.begin(), listed.end(), [&](int a) { return g.source_axis(a) == a && g.sign(a) == 1; });
    case ConstraintRule::keep_axis:
      return std::all_of(listed.begin(), listed.end(), [&](int a) { return g.source_axis(a) == a; });
    case ConstraintRule::keep_shear:
      if (listed.size() != 2) return true;
      return g.source_axis(listed[0]) == listed[0] && g.source_axis(listed[1]) == listed[1] &&
             g.sign(listed[0]) == g.sign(listed[1]);
    case ConstraintRule::no_shift:
      return std::all_of(listed.begin(), listed.end(), [&](int a) {
        return g.shift(a) == 0 && std::find(listed.begin(), listed.end(), g.source_axis(a)) != listed.end();
      });
    case ConstraintRule::proper:
      return g.determinant() == 1;
    case ConstraintRule::trivial:
      return g.is_identity();
  }
  return false;
}

void PhysicsConstraint::check_axes(int ndim, const std::string& owner) const {
  for (int a : axes)
    if (a < 0 || a >= ndim)
      throw Error(owner + ": rule " + text() + " names axis " + (a >= 0 && a < kMaxSpatialDims ? kAxisNames[a] : "?") +
                  ", but the grid is " + std::to_string(ndim) + "-D");
}

Grid PhysicsProfile::published_grid() const {
  if (!cartesian() || shape.empty())
    throw Error("profile " + name + ": grid type '" + grid_type + "' has no Cartesian grid");
  return Grid(shape, boundary, std::vector<Sampling>(shape.size(), Sampling::cell_centred));
}

std::string PhysicsProfile::constraints_text() const {
  std::string text;
  for (const auto& c : constraints)
    text += (text.empty() ? "" : ",") + c.text();
  return text;
}

const std::vector<PhysicsProfile>& well_profiles() {
  static const std::vector<PhysicsProfile> table = build_table();
  return table;
}

const PhysicsProfile* find_well_profile(const std::string& name) {
  for (const auto& p : well_profiles())
    if (p.name == name) return &p;
  return nullptr;
}

PhysicsProfile no_physics_profile() {
  PhysicsProfile p;
  p.name = "none";
  p.physics = "No physics constraints: only the grid and its boundary conditions restrict the group.";
  p.grid_type.clear();
  return p;
}

std::vector<PhysicsConstraint> parse_constraints(const std::string& text, int ndim, const std::string& reason) {
  const std::string where = "--constraints '" + text + "'";
  std::vector<std::string> items;
  std::string current;
  for (char c : text) {
    if (c == ',' || c == ';') {
      items.push_back(trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  items.push_back(trim(current));
  if (items.size() == 1 && items[0].empty()) return {};

  std::vector<PhysicsConstraint> parsed;
  bool last_takes_more_axes = false;  // the previous item was "rule:axes", so a bare axis continues it
  const auto add_axis = [&](PhysicsConstraint& c, const std::string& word) {
    const auto a = axis_index(word);
    if (!a)
      throw Error(where + ": '" + word + "' is not an axis (x, y or z) in rule " + to_string(c.rule) + "; " +
                  kRuleSummary);
    if (ndim > 0 && *a >= ndim)
      throw Error(where + ": axis " + word + " does not exist on a " + std::to_string(ndim) + "-D grid");
    if (std::find(c.axes.begin(), c.axes.end(), *a) == c.axes.end()) c.axes.push_back(*a);
  };
  for (const auto& item : items) {
    if (item.empty()) throw Error(where + ": empty rule (two separators in a row, or one at an end); " + kRuleSummary);
    const auto colon = item.find(':');
    const std::string head = trim(item.substr(0, colon));
    if (colon == std::string::npos && axis_index(head)) {
      if (!last_takes_more_axes)
        throw Error(where + ": axis '" + head + "' follows no rule that takes axes; " + kRuleSummary);
      add_axis(parsed.back(), head);
      continue;
    }
    const auto rule = rule_named(head);
    if (!rule) {
      const std::string h = lowered(head);
      if (h == "no-rotation" || h == "no_rotation" || h == "no-rotations")
        throw Error(where +
                    ": no-rotation does not define a group (two reflections compose to a rotation); use "
                    "no-swap to rule out 90-degree rotations and axis exchanges, or no-reflection to keep "
                    "rotations only");
      throw Error(where + ": unknown rule '" + head + "'; " + kRuleSummary);
    }
    PhysicsConstraint c = make(*rule, {}, reason);
    if (colon != std::string::npos) {
      if (!takes_axes(*rule)) throw Error(where + ": rule " + to_string(*rule) + " takes no axes");
      const std::string axes = item.substr(colon + 1);
      std::string word;
      std::vector<std::string> words;
      for (char ch : axes) {
        if (ch == '+') {
          words.push_back(trim(word));
          word.clear();
        } else {
          word += ch;
        }
      }
      words.push_back(trim(word));
      for (const auto& w : words) {
        if (w.empty()) throw Error(where + ": rule " + to_string(*rule) + " has an empty axis after ':'");
        add_axis(c, w);
      }
    }
    parsed.push_back(c);
    last_takes_more_axes = colon != std::string::npos;
  }
  for (auto& c : parsed) {
    if (c.rule != ConstraintRule::keep_shear) std::sort(c.axes.begin(), c.axes.end());
    check_parsed(c, where);
  }
  return parsed;
}

PhysicsProfile select_profile(const std::string& dataset_name, int ndim, const ProfileChoice& choice) {
  PhysicsProfile profile;
  if (choice.profile) {
    const std::string& wanted = *choice.profile;
    if (wanted == "none") {
      profile = no_physics_profile();
    } else if (const auto* p = find_well_profile(wanted)) {
      profile = *p;
    } else {
      std::string names = "none";
      for (const auto& q : well_profiles())
        names += ", " + q.name;
      throw Error("--profile '" + wanted + "' is not a profile; known (The Well's dataset names): " + names);
    }
    profile.source = "--profile";
  } else if (const auto* p = find_well_profile(dataset_name)) {
    profile = *p;
    profile.source = "dataset";
  } else {
    profile = no_physics_profile();
    profile.source = "default";
    profile.notes.push_back("no physics profile for dataset '" + dataset_name +
                            "' (not a dataset name of The Well): only the grid and its boundary conditions restrict "
                            "the group; use --profile NAME or --constraints to add physics");
  }
  if (profile.ndim() > 0 && profile.ndim() != ndim)
    profile.notes.push_back("profile " + profile.name + " describes a " + std::to_string(profile.ndim()) +
                            "-D dataset; applied here to a " + std::to_string(ndim) + "-D grid");
  if (choice.constraints) {
    for (auto& c : parse_constraints(*choice.constraints, ndim))
      profile.constraints.push_back(std::move(c));
  }
  for (const auto& c : profile.constraints)
    c.check_axes(ndim, "profile " + profile.name);
  return profile;
}

RestrictedGroup largest_subgroup_within(const Group& group, const std::function<bool(const GroupElement&)>& allowed) {
  std::vector<char> keep(group.order(), 0);
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < group.order(); ++i)
    if (i == group.identity_index() || allowed(group.element(i))) {
      keep[i] = 1;
      kept.push_back(i);
    }
  bool closed = true;
  for (std::size_t a : kept) {
    for (std::size_t b : kept)
      if (!keep[group.product(a, b)]) {
        closed = false;
        break;
      }
    if (!closed) break;
  }
  std::vector<std::size_t> chosen;
  std::size_t ties = 1;
  if (closed) {
    chosen = kept;
  } else {
    const auto subgroups = enumerate_subgroups(group);
    std::size_t best = 0;
    for (const auto& s : subgroups) {
      if (!std::all_of(s.elements.begin(), s.elements.end(), [&](std::size_t i) { return keep[i] != 0; })) continue;
      if (s.order() > best) {
        best = s.order();
        chosen = s.elements;
        ties = 1;
      } else if (s.order() == best) {
        ++ties;
      }
    }
  }
  // A small generating set keeps Group::generated_by cheap for large groups.
  std::vector<std::size_t> generator_indices;
  std::vector<std::size_t> span{group.identity_index()};
  for (std::size_t e : chosen) {
    if (std::find(span.begin(), span.end(), e) != span.end()) continue;
    generator_indices.push_back(e);
    span = group.closure(generator_indices);
    if (span.size() == chosen.size()) break;
  }
  std::vector<GroupElement> generators;
  for (std::size_t i : generator_indices)
    generators.push_back(group.element(i));
  RestrictedGroup result{Group::generated_by(group.ndim(), generators, group.periods()), closed, ties};
  if (result.group.order() != chosen.size())
    throw Error("largest_subgroup_within: internal error, the chosen elements do not form a group");
  return result;
}

ProfiledGroup apply_profile(const Group& admissible, const PhysicsProfile& profile) {
  for (const auto& c : profile.constraints)
    c.check_axes(admissible.ndim(), "profile " + profile.name);
  const auto allowed = [&](const GroupElement& g) {
    return std::all_of(profile.constraints.begin(), profile.constraints.end(),
                       [&](const PhysicsConstraint& c) { return c.allows(g); });
  };
  auto restricted = largest_subgroup_within(admissible, allowed);
  ProfiledGroup result{std::move(restricted.group), admissible.order(), {}, profile.notes};
  for (const auto& c : profile.constraints) {
    std::vector<GroupElement> removed;
    for (const auto& g : admissible.elements())
      if (!c.allows(g)) removed.push_back(g);
    result.removed.push_back(std::move(removed));
  }
  if (!restricted.allowed_set_closed)
    result.notes.push_back(
        "the elements allowed by the constraints do not form a group; kept the largest subgroup "
        "among them (" +
        std::to_string(restricted.largest_ties) + " of that order)");
  return result;
}

}  // namespace gavel::datasets
