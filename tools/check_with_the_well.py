#!/usr/bin/env python3
"""Checks `gavel transform` against The Well's own reader (the_well 1.2.0 WellDataset).

    ~/.cache/gavel/venv-reference/bin/python tools/check_with_the_well.py \
        --gavel build/default/bin/gavel --work /tmp/gavel-well-check

For each case it puts a Well-format input file in a dataset folder
`<work>/<case>/input/data/train/<case>.hdf5` (written here with h5py, or copied from the committed
fixtures in tests/data/well), runs `gavel transform --element E` into
`<work>/<case>/<nn>_<element>/data/train/<case>.hdf5`, then loads both folders with
`WellDataset(path=..., use_normalization=False)` for several window configurations. Every item of
the output dataset must equal the explicit transform, computed here in numpy, of the same item of
the input dataset:

  (g·f)(p) = ρ(g) f(g⁻¹p), points in cell-centred coordinates c(i) = i - (N-1)/2 mapped
  c ↦ sign·c_source + shift; output index j on axis k reads input axis source_k at index
  j - shift (sign +) or N-1-j+shift (sign -), modulo N. ρ: scalars 1, vectors R·v,
  tensors R·T·Rᵀ, pseudo fields (attribute gavel_parity="pseudo" or --pseudo) also times det R.

Channels follow the_well's flattened order (t0 fields, t1 components x,y,z, t2 components
row-major), checked against its field names. Fields, scalars and time grids must match exactly
(NaN-aware: float32 permutations and sign flips are exact); boundary_conditions[k] must be the
input's row source_k, its (lower, upper) pair swapped where sign is -; space_grid must be the
input's coordinates relabelled (axis k carries source_k's coordinate values, not reversed). The
output file's dimension names, raw time and coordinate arrays and gavel_parity attributes are
also checked with h5py.

Cases: square2d (8x8 periodic; t0 incl. a pseudo scalar, t1, t2, constant t0/t1/t2 fields, NaN
and ±Inf planted), mixed2d (8x6, x periodic, y WALL/OPEN, so --force flips swap faces; fields
shared over trajectories and stored with dim_varying=False), cube3d (4x4x4 periodic; pseudo t0,
t1 and constant t2 fields), box3d (4x4x3, z walls), and the committed fixtures
tests/data/well/periodic_2d.hdf5 and cube_3d.hdf5. --work must be new, empty or made by an
earlier run (it holds a .check_with_the_well marker); it is emptied first.

Prints one line per (case, element, configuration) and a PASS/FAIL summary; exits 1 on any
mismatch or when the_well cannot read a gavel-written file, 2 when gavel itself fails.
"""
import argparse
import importlib.metadata
import itertools
import pathlib
import re
import shutil
import subprocess
import sys

import h5py
import numpy as np
import torch

from the_well.data import WellDataset
from the_well.data.utils import flatten_field_names

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from make_window_goldens import add_bc, add_field, coded, ends, plant, well_file  # noqa: E402

SEED = 20261129
AXES = "xyz"
REPO = pathlib.Path(__file__).resolve().parent.parent

# Common names, as gavel spells them (its element_notation.cpp), for the elements used here.
NAMES = {
    2: {"id": "[x,y]", "rot90": "[-y,x]", "rot180": "[-x,-y]", "rot270": "[y,-x]",
        "flip_x": "[-x,y]", "flip_y": "[x,-y]", "transpose": "[y,x]", "antitranspose": "[-y,-x]"},
    3: {"id": "[x,y,z]", "inversion": "[-x,-y,-z]", "flip_x": "[-x,y,z]", "flip_y": "[x,-y,z]",
        "flip_z": "[x,y,-z]", "rot90_x": "[x,-z,y]", "rot90_y": "[z,y,-x]", "rot90_z": "[-y,x,z]",
        "rot180_z": "[-x,-y,z]", "rot270_z": "[y,-x,z]", "transpose_xy": "[y,x,z]",
        "transpose_xz": "[z,y,x]", "transpose_yz": "[x,z,y]"},
}


class Element:
    """A signed permutation with a periodic shift: output axis k = sign[k] * input axis
    source[k] + shift[k] (cells)."""

    def __init__(self, text, ndim):
        self.text = text
        m = re.fullmatch(r"([^+]*?)(?:\+?shift\(([^)]*)\))?", text.replace(" ", ""))
        if not m:
            raise ValueError(f"cannot parse element {text!r}")
        point, shift = m.group(1), m.group(2)
        point = NAMES[ndim].get(point, point) if point else NAMES[ndim]["id"]
        entries = point.strip("[]").split(",")
        if not (point.startswith("[") and point.endswith("]")) or len(entries) != ndim:
            raise ValueError(f"{text!r} is not a {ndim}-D element")
        self.sign, self.source = [], []
        for e in entries:
            e = e.strip()
            self.sign.append(-1 if e.startswith("-") else 1)
            self.source.append(AXES.index(e.lstrip("+-")))
        if sorted(self.source) != list(range(ndim)):
            raise ValueError(f"{text!r} is not a permutation")
        self.shift = [int(s) for s in shift.split(",")] if shift else [0] * ndim
        if len(self.shift) != ndim:
            raise ValueError(f"{text!r}: shift needs {ndim} entries")
        self.ndim = ndim
        self.R = np.zeros((ndim, ndim), dtype=np.int64)
        for k in range(ndim):
            self.R[k, self.source[k]] = self.sign[k]
        self.det = int(round(np.linalg.det(self.R)))

    def notation(self):
        s = "[" + ",".join(("-" if sg < 0 else "") + AXES[m]
                           for sg, m in zip(self.sign, self.source)) + "]"
        if any(self.shift):
            s += "+shift(" + ",".join(map(str, self.shift)) + ")"
        return s

    def tag(self):
        return re.sub(r"[^A-Za-z0-9]+", "_", self.notation().replace("-", "m")).strip("_")

    def out_shape(self, in_shape):
        return tuple(in_shape[m] for m in self.source)

    def move(self, x, lead):
        """Moves the values of x [*lead, *space, C]: out[.., j, ..] = x[.., i(j), ..]."""
        space = x.shape[lead:lead + self.ndim]
        out_shape = self.out_shape(space)
        grid = np.indices(out_shape)
        idx = [None] * self.ndim
        for k, m in enumerate(self.source):
            n = space[m]
            j = grid[k]
            idx[m] = ((j - self.shift[k]) if self.sign[k] > 0 else (n - 1 - j + self.shift[k])) % n
        return x[(slice(None),) * lead + tuple(idx)]

    def components(self, x, order, pseudo):
        """ρ(g) on the trailing channel axis of one field block (D**order channels)."""
        d = self.ndim
        sign = np.float32(self.det if pseudo else 1)
        if order == 0:
            return x * sign
        if order == 1:
            out = np.stack([x[..., self.source[k]] * np.float32(self.sign[k])
                            for k in range(d)], -1)
            return out * sign
        out = np.stack([x[..., self.source[k] * d + self.source[l]]
                        * np.float32(self.sign[k] * self.sign[l])
                        for k in range(d) for l in range(d)], -1)
        return out * sign


# --------------------------------------------------------------------------------------------
# Input files


def mark_pseudo(f, order, name):
    f[f"t{order}_fields"][name].attrs["gavel_parity"] = "pseudo"


def case_square2d(path, rng):
    """2-D 8x8 periodic square, two trajectories, T=6; every kind of field."""
    dims, space, T, trajs = ["x", "y"], (8, 8), 6, [0, 1]
    coords = [(np.arange(8) + 0.5) / 8, 2.0 + np.arange(8) * 0.25]
    times = np.array([0, 1, 2, 4, 5, 7]) / 8 + 0.5
    scalars = [("Re", 100.0, False, False), ("forcing", np.array([0.25, 0.5]), True, False),
               ("energy", np.arange(2)[:, None] * 100 + np.arange(T)[None] / 8, True, True)]
    with well_file(path, "check_square2d", dims, coords, times, 2, scalars) as f:
        add_bc(f, "x_periodic", "PERIODIC", ["x"], ends(8))
        add_bc(f, "y_periodic", "periodic", ["y"], ends(8))
        add_field(f, 0, "pressure", plant(rng, coded(space, 0, 0, trajs, T)))
        add_field(f, 0, "vorticity", coded(space, 0, 1, trajs, T))
        mark_pseudo(f, 0, "vorticity")
        add_field(f, 0, "tracer", coded(space, 0, 2, trajs, T))
        add_field(f, 1, "velocity", plant(rng, coded(space, 1, 3, trajs, T), (np.nan, np.inf)))
        add_field(f, 2, "stress", plant(rng, coded(space, 2, 5, trajs, T), (-np.inf,)))
        add_field(f, 0, "obstacle", plant(rng, coded(space, 0, 50), (np.nan,)),
                  time_varying=False, sample_varying=False)
        add_field(f, 1, "wind", coded(space, 1, 51, trajs), time_varying=False)
        add_field(f, 2, "conductivity", coded(space, 2, 53, trajs), time_varying=False)
    return dict(steps=T, elements=[
        ("rot90", []), ("[x,-y]", []), ("[y,x]+shift(2,0)", []), ("[-y,-x]+shift(3,5)", []),
        ("rot270+shift(1,7)", []), ("rot180", ["--pseudo", "tracer", "--polar", "vorticity"]),
        ("flip_x", ["--pseudo", "velocity,stress"])])


def case_mixed2d(path, rng):
    """2-D 8x6 (x periodic, y WALL below, OPEN above), one trajectory, T=5; fields shared by
    all trajectories and stored with size 1 on a dim_varying=False axis. Elements that are no
    symmetry of the walls run with --force (faces swapped)."""
    dims, space, T, trajs = ["x", "y"], (8, 6), 5, [0]
    coords = [np.arange(8) / 8, -1.0 + np.arange(6) / 4]
    with well_file(path, "check_mixed2d", dims, coords, np.arange(T) / 4, 1) as f:
        add_bc(f, "x_periodic", "PERIODIC", ["x"], ends(8))
        low, high = np.zeros(6, dtype=bool), np.zeros(6, dtype=bool)
        low[0], high[-1] = True, True
        add_bc(f, "y_open", "OPEN", ["y"], high)
        add_bc(f, "y_wall", "WALL", ["y"], low)
        add_field(f, 0, "u", plant(rng, coded(space, 0, 0, trajs, T)))
        add_field(f, 0, "forcing", coded(space, 0, 1, None, T), sample_varying=False)
        add_field(f, 0, "profile", coded(space, 0, 2, trajs, T, [True, False]),
                  dim_varying=[True, False])
        add_field(f, 1, "velocity", coded(space, 1, 3, trajs, T))
        add_field(f, 1, "wind", coded(space, 1, 5, trajs, T, [False, True]),
                  dim_varying=[False, True])
        add_field(f, 0, "depth", coded(space, 0, 50, None, None, [False, True]),
                  time_varying=False, sample_varying=False, dim_varying=[False, True])
    return dict(steps=T, elements=[
        ("[-x,y]+shift(3,0)", []), ("shift(5,0)", []), ("[x,-y]", ["--force"]),
        ("[-x,-y]+shift(1,0)", ["--force", "--pseudo", "velocity"])])


def case_cube3d(path, rng):
    """3-D 4x4x4 periodic cube, two trajectories, T=4."""
    dims, space, T, trajs = ["x", "y", "z"], (4, 4, 4), 4, [0, 1]
    coords = [np.arange(4) / 4, 1.0 + np.arange(4) / 8, -1.0 + np.arange(4) / 2]
    with well_file(path, "check_cube3d", dims, coords, np.arange(T) / 16, 2,
                   [("Ma", 0.5, False, False)]) as f:
        for axis in dims:
            add_bc(f, f"{axis}_periodic", "PERIODIC", [axis], ends(4))
        add_field(f, 0, "density", plant(rng, coded(space, 0, 0, trajs, T)))
        add_field(f, 0, "helicity", coded(space, 0, 1, trajs, T))
        mark_pseudo(f, 0, "helicity")
        add_field(f, 1, "velocity", plant(rng, coded(space, 1, 2, trajs, T), (np.nan,)))
        add_field(f, 1, "magnetic_field", coded(space, 1, 5, trajs, T))
        mark_pseudo(f, 1, "magnetic_field")
        add_field(f, 2, "strain", coded(space, 2, 8, trajs, T))
        add_field(f, 1, "b0", coded(space, 1, 50, None), time_varying=False,
                  sample_varying=False)
        add_field(f, 2, "rotation", coded(space, 2, 53, trajs), time_varying=False)
        mark_pseudo(f, 2, "rotation")
    return dict(steps=T, elements=[
        ("rot90_z", []), ("[y,z,x]", []), ("inversion", []), ("[z,-y,x]+shift(1,2,3)", []),
        ("[-z,x,-y]+shift(0,3,1)", []), ("rot90_x", [])])


def case_box3d(path, rng):
    """3-D 4x4x3 (x, y periodic, z WALL at both ends), one trajectory, T=3."""
    dims, space, T, trajs = ["x", "y", "z"], (4, 4, 3), 3, [0]
    coords = [np.arange(4) / 4, np.arange(4) / 4, np.arange(3) / 2]
    with well_file(path, "check_box3d", dims, coords, np.arange(T) / 2, 1) as f:
        add_bc(f, "x_periodic", "PERIODIC", ["x"], ends(4))
        add_bc(f, "y_periodic", "PERIODIC", ["y"], ends(4))
        add_bc(f, "z_wall", "WALL", ["z"], ends(3))
        add_field(f, 0, "temperature", coded(space, 0, 0, trajs, T))
        add_field(f, 1, "velocity", coded(space, 1, 1, trajs, T))
        add_field(f, 2, "strain", coded(space, 2, 4, trajs, T))
    return dict(steps=T, elements=[
        ("rot90_z+shift(1,0,0)", []), ("flip_z", []), ("[y,x,-z]+shift(2,3,0)", [])])


def fixture(name, elements, steps):
    def build(path, rng):
        shutil.copyfile(REPO / "tests" / "data" / "well" / name, path)
        return dict(steps=steps, elements=elements)
    return build


CASES = {
    "square2d": case_square2d,
    "mixed2d": case_mixed2d,
    "cube3d": case_cube3d,
    "box3d": case_box3d,
    "fixture_periodic_2d": fixture("periodic_2d.hdf5", [
        ("rot90", []), ("[x,-y]", []), ("[y,x]+shift(2,0)", [])], 5),
    "fixture_cube_3d": fixture("cube_3d.hdf5", [
        ("[y,z,x]", []), ("inversion", []), ("[-z,y,x]+shift(1,1,2)", [])], 3),
}

# (n_steps_input, n_steps_output, stride, full_trajectory_mode); kept where T allows
CONFIGS = [(1, 1, 1, False), (2, 1, 2, False), (1, 2, 1, False), (2, 2, 1, False),
           (1, 1, 1, True)]


def config_name(c):
    ti, to, s, full = c
    return f"full_ti{ti}" if full else f"ti{ti}_to{to}_s{s}"


def feasible(c, steps):
    ti, to, s, full = c
    return steps - s * ti > 0 if full else steps - s * (ti + to - 1) > 0


# --------------------------------------------------------------------------------------------
# Expected items


def channel_plan(path, pseudo_override):
    """[(kind, order, name, pseudo)] in the_well's order, kind 'var' or 'const', and the
    flattened names the_well should report."""
    plan = {"var": [], "const": []}
    with h5py.File(path, "r") as f:
        dims = [d.decode() if isinstance(d, bytes) else d
                for d in f["dimensions"].attrs["spatial_dims"]]
        for order in range(3):
            group = f[f"t{order}_fields"]
            for name in group.attrs["field_names"]:
                name = name.decode() if isinstance(name, bytes) else str(name)
                ds = group[name]
                pseudo = ds.attrs.get("gavel_parity", "") in ("pseudo", b"pseudo")
                pseudo = pseudo_override.get(name, pseudo)
                kind = "var" if bool(ds.attrs["time_varying"]) else "const"
                plan[kind].append((order, name, pseudo))
    names = {kind: [n + ("_" + "".join(c) if o else "")
                    for o, n, _ in fields for c in itertools.product(dims, repeat=o)]
             for kind, fields in plan.items()}
    return plan, names, dims


def parse_overrides(flags):
    over = {}
    for i, flag in enumerate(flags):
        if flag in ("--pseudo", "--polar"):
            for name in flags[i + 1].split(","):
                over[name] = flag == "--pseudo"
    return over


def transform_fields(g, x, lead, fields):
    moved = g.move(x, lead)
    out, c = [], 0
    for order, _, pseudo in fields:
        n = g.ndim ** order
        out.append(g.components(moved[..., c:c + n], order, pseudo))
        c += n
    assert c == x.shape[-1], (c, x.shape)
    return np.concatenate(out, -1) if out else moved


def expected_item(g, item, plan):
    exp = {}
    nd = g.ndim
    for key, value in item.items():
        x = value.numpy()
        if key in ("input_fields", "output_fields"):
            exp[key] = transform_fields(g, x, 1, plan["var"])
        elif key == "constant_fields":
            exp[key] = transform_fields(g, x, 0, plan["const"])
        elif key == "boundary_conditions":
            rows = [x[m][::-1] if s < 0 else x[m] for m, s in zip(g.source, g.sign)]
            exp[key] = np.stack(rows)
        elif key == "space_grid":
            coord = [x[(0,) * m + (slice(None),) + (0,) * (nd - m - 1)][:, m] for m in range(nd)]
            mesh = np.meshgrid(*[coord[m] for m in g.source], indexing="ij")
            exp[key] = np.stack(mesh, -1)
        else:  # scalars and time grids do not move
            exp[key] = x
    return exp


def first_difference(got, want):
    bad = ~((got == want) | (np.isnan(got) & np.isnan(want)))
    where = tuple(int(i) for i in np.argwhere(bad)[0])
    return f"{int(bad.sum())} of {bad.size} values differ, first at {list(where)}: " \
           f"gavel {got[where]!r}, expected {want[where]!r}"


def compare(name, got_item, exp_item):
    problems = []
    if set(got_item) != set(exp_item):
        problems.append(f"{name}: keys {sorted(got_item)} != {sorted(exp_item)}")
    for key in sorted(set(got_item) & set(exp_item)):
        got, want = got_item[key].numpy(), exp_item[key]
        if got.dtype != want.dtype or got.shape != want.shape:
            problems.append(f"{name} {key}: {got.dtype}{list(got.shape)} != "
                            f"{want.dtype}{list(want.shape)}")
        elif not np.array_equal(got, want, equal_nan=True):
            problems.append(f"{name} {key}: {first_difference(got, want)}")
    return problems


def check_file(out_path, in_path, g, plan, dims):
    """What the_well's items do not show: dimension names, raw time values (the_well subtracts
    each window's first time), raw coordinates, and gavel's own parity attributes."""
    problems = []
    with h5py.File(out_path, "r") as f, h5py.File(in_path, "r") as src:
        out_dims = [d.decode() if isinstance(d, bytes) else d
                    for d in f["dimensions"].attrs["spatial_dims"]]
        if out_dims != dims:
            problems.append(f"{out_path}: spatial_dims {out_dims} != {dims}")
        if not np.array_equal(f["dimensions/time"][()], src["dimensions/time"][()]):
            problems.append(f"{out_path}: dimensions/time differs from the input's")
        for k, m in enumerate(g.source):
            if not np.array_equal(f["dimensions"][dims[k]][()], src["dimensions"][dims[m]][()]):
                problems.append(f"{out_path}: coordinate {dims[k]} is not the input's {dims[m]}")
        for kind in plan.values():
            for order, name, pseudo in kind:
                attr = f[f"t{order}_fields"][name].attrs.get("gavel_parity", "")
                attr = attr.decode() if isinstance(attr, bytes) else str(attr)
                if (attr == "pseudo") != pseudo:
                    problems.append(f"{out_path}: {name} gavel_parity={attr!r}, pseudo={pseudo}")
    return problems


# --------------------------------------------------------------------------------------------


def dataset(folder, c):
    ti, to, s, full = c
    return WellDataset(path=str(folder / "data" / "train"), use_normalization=False,
                       n_steps_input=ti, n_steps_output=to, min_dt_stride=s, max_dt_stride=s,
                       full_trajectory_mode=full)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gavel", default=str(REPO / "build" / "default" / "bin" / "gavel"))
    parser.add_argument("--work", required=True,
                        help="scratch folder: new, empty, or one this script made (then emptied)")
    parser.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    args = parser.parse_args()
    torch.set_num_threads(1)
    work = pathlib.Path(args.work)
    marker = work / ".check_with_the_well"
    if work.exists() and any(work.iterdir()):
        if not marker.exists():
            sys.exit(f"{work} is not empty and was not made by this script; name another folder")
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    marker.touch()
    problems, n_elements, checked, items, values = [], 0, 0, 0, 0

    for ci, case in enumerate(args.cases):
        in_dir = work / case / "input"
        (in_dir / "data" / "train").mkdir(parents=True)
        in_file = in_dir / "data" / "train" / f"{case}.hdf5"
        spec = CASES[case](in_file, np.random.default_rng(SEED + ci))
        configs = [c for c in CONFIGS if feasible(c, spec["steps"])]
        ref = {c: dataset(in_dir, c) for c in configs}
        ndim = ref[configs[0]].metadata.n_spatial_dims
        for text, flags in spec["elements"]:
            g = Element(text, ndim)
            n_elements += 1
            plan, names, dims = channel_plan(in_file, parse_overrides(flags))
            out_dir = work / case / f"{n_elements:02d}_{g.tag()}"
            (out_dir / "data" / "train").mkdir(parents=True)
            out_file = out_dir / "data" / "train" / f"{case}.hdf5"
            cmd = [args.gavel, "transform", "--element", text, *flags, str(in_file), str(out_file)]
            run = subprocess.run(cmd, capture_output=True, text=True)
            if run.returncode != 0:
                print(f"ERROR {case} {text}: {' '.join(cmd)} exited {run.returncode}\n"
                      f"{run.stdout}{run.stderr}")
                sys.exit(2)
            said = re.search(r"transformed by (\S+)", run.stdout)
            if not said or said.group(1) != g.notation():
                problems.append(f"{case} {text}: gavel says {run.stdout.strip()!r}, "
                                f"expected notation {g.notation()}")
            problems += check_file(out_file, in_file, g, plan, dims)
            for c in configs:
                name = " ".join([case, g.notation(), *flags, config_name(c)])
                before = len(problems)
                try:
                    got = dataset(out_dir, c)
                except Exception as e:  # the_well cannot read what gavel wrote
                    problems.append(f"{name}: WellDataset failed: {type(e).__name__}: {e}")
                    print(f"FAIL {name}: WellDataset failed")
                    continue
                src = ref[c]
                md = got.metadata
                if flatten_field_names(md, include_constants=False) != names["var"] or \
                        list(itertools.chain(*md.constant_field_names.values())) != names["const"]:
                    problems.append(f"{name}: the_well channels "
                                    f"{flatten_field_names(md)} != {names['var'] + names['const']}")
                if tuple(md.spatial_resolution) != g.out_shape(src.metadata.spatial_resolution):
                    problems.append(f"{name}: spatial_resolution {md.spatial_resolution}")
                if len(got) != len(src):
                    problems.append(f"{name}: {len(got)} items, input has {len(src)}")
                for i in range(min(len(got), len(src))):
                    item = got[i]
                    problems += compare(f"{name} item {i}", item,
                                        expected_item(g, src[i], plan))
                    values += sum(v.numel() for v in item.values())
                items += min(len(got), len(src))
                checked += 1
                print(f"{'ok  ' if len(problems) == before else 'FAIL'} {name}: "
                      f"{min(len(got), len(src))} items")

    print()
    for p in problems[:50]:
        print("  " + p)
    if len(problems) > 50:
        print(f"  ... and {len(problems) - 50} more")
    verdict = "PASS" if not problems else "FAIL"
    print(f"{verdict}: {n_elements} transforms over {len(args.cases)} cases, {checked} "
          f"(case, element, window configuration) combinations, "
          f"{items} items ({values} values) compared with the_well "
          f"{importlib.metadata.version('the_well')}; "
          f"{len(problems)} mismatches")
    sys.exit(0 if not problems else 1)


if __name__ == "__main__":
    main()
