// Uses the installed gavel: the admissible group of a periodic square grid and one rotation of a
// vector field, checked against the definition on a few points; and gavel::report (no Kokkos of
// its own) escaping text for the HTML report.
#include <cstdio>

#include <Kokkos_Core.hpp>

#include "gavel/core/admissible_group.hpp"
#include "gavel/core/element_notation.hpp"
#include "gavel/core/group_action.hpp"
#include "gavel/core/version.hpp"
#include "gavel/report/html_escape.hpp"

int main(int argc, char** argv) {
  Kokkos::ScopeGuard kokkos(argc, argv);
  const gavel::Grid grid({4, 4});
  const gavel::Group group = gavel::admissible_group(grid);
  const gavel::ChannelLayout layout(2, {{"velocity", gavel::FieldKind::vector}});
  const gavel::GroupAction<Kokkos::DefaultHostExecutionSpace> action(grid, layout, {gavel::parse_element("rot90", 2)});
  Kokkos::View<float*, Kokkos::HostSpace> in("in", 32), out("out", 32);
  for (int i = 0; i < 32; ++i)
    in(i) = static_cast<float>(i);
  action.apply<float>(0, in, 1, out);
  // (g·v)(p) = R v(g⁻¹p): at p = (i, j) the rotated field is (−v_y, v_x) taken at (j, 3−i).
  int bad = 0;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      const int src = j * 4 + (3 - i);
      if (out(i * 4 + j) != -in(16 + src) || out(16 + i * 4 + j) != in(src)) ++bad;
    }
  const bool escaped = gavel::report::escape_html("<a & b>") == "&lt;a &amp; b&gt;";
  std::printf("gavel %s: group order %zu, rot90 mismatches %d, HTML escaping %s\n", gavel::kVersion, group.order(), bad,
              escaped ? "right" : "wrong");
  return group.order() == 8 && bad == 0 && escaped ? 0 : 1;
}
