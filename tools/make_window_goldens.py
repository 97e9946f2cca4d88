#!/usr/bin/env python3
"""Golden windows made with The Well's own reader (the_well 1.2.0 WellDataset and
DefaultChannelsFirstFormatter), so gavel's window reader can be checked against them.

    python3 -m venv ~/.cache/gavel/venv-reference
    ~/.cache/gavel/venv-reference/bin/pip install -r tools/requirements-reference.txt
    ~/.cache/gavel/venv-reference/bin/python tools/make_window_goldens.py --out tests/data/well_windows

For each case it writes a small Well-format dataset folder `<out>/<case>/data/train/*.hdf5` and
`<out>/<case>.golden.hdf5`, one group per window configuration, holding every item of
`WellDataset(path=<case>/data/train, ...)` stacked over the index 0..len-1 (see
tools/README.md for the format).

Field values encode where they come from, so a mismatch tells what went wrong:
    value = sign * (traj * 1_000_000 + step * 100_000 + channel * 1_000 + cell)
  traj:    trajectory number over the sorted files (0, 1, 2, ...); 9 for sample_varying=False
  step:    time index in the file; 9 for time_varying=False
  channel: flattened channel (the_well's order); constant channels count from 50
  cell:    C-order index over the full spatial shape (index 0 on a dim_varying=False axis)
  sign:    -1 where cell is odd
All such values are integers below 2**24, exact in float32. A few NaN, +Inf and -Inf are planted
at seeded positions. Time and space coordinates are multiples of 1/64 (exact in float32).
"""
import argparse
import importlib.metadata
import itertools
import pathlib
import shutil

import h5py
import numpy as np
import torch
from torch.utils.data import default_collate

from the_well.data import WellDataset
from the_well.data.data_formatter import DefaultChannelsFirstFormatter
from the_well.data.utils import flatten_field_names

SEED = 20261128
STR = h5py.string_dtype()


def str_list(values):
    return np.array(list(values), dtype=STR)


# --------------------------------------------------------------------------------------------
# Well-format files (encoded like tools/make_well_fixtures.py: vlen UTF-8 strings, numpy bools)


def well_file(path, name, dims, coords, times, n_traj, scalars=()):
    f = h5py.File(path, "w")
    f.attrs["dataset_name"] = name
    f.attrs["grid_type"] = "cartesian"
    f.attrs["n_spatial_dims"] = len(dims)
    f.attrs["n_trajectories"] = n_traj
    f.attrs["simulation_parameters"] = str_list(s[0] for s in scalars if not s[2] and not s[3])
    d = f.create_group("dimensions")
    d.attrs["spatial_dims"] = str_list(dims)
    t = d.create_dataset("time", data=np.asarray(times, dtype=np.float32))
    t.attrs["sample_varying"] = False
    for axis, c in zip(dims, coords):
        ds = d.create_dataset(axis, data=np.asarray(c, dtype=np.float32))
        ds.attrs["sample_varying"] = False
        ds.attrs["time_varying"] = False
    s = f.create_group("scalars")
    s.attrs["field_names"] = str_list(x[0] for x in scalars)
    for sname, data, sample_varying, time_varying in scalars:
        ds = s.create_dataset(sname, data=np.asarray(data, dtype=np.float32))
        ds.attrs["sample_varying"] = sample_varying
        ds.attrs["time_varying"] = time_varying
        if not sample_varying and not time_varying:
            f.attrs[sname] = float(data)
    for order in range(3):
        f.create_group(f"t{order}_fields").attrs["field_names"] = str_list([])
    f.create_group("boundary_conditions")
    return f


def add_field(f, order, name, data, time_varying=True, sample_varying=True, dim_varying=None):
    group = f[f"t{order}_fields"]
    ds = group.create_dataset(name, data=np.asarray(data, dtype=np.float32))
    ds.attrs["time_varying"] = time_varying
    ds.attrs["sample_varying"] = sample_varying
    nd = int(f.attrs["n_spatial_dims"])
    ds.attrs["dim_varying"] = np.array(dim_varying if dim_varying is not None else [True] * nd)
    group.attrs["field_names"] = str_list(list(group.attrs["field_names"]) + [name])


def add_bc(f, name, bc_type, dims, mask):
    g = f["boundary_conditions"].create_group(name)
    g.attrs["bc_type"] = bc_type
    g.attrs["associated_dims"] = str_list(dims)
    g.attrs["associated_fields"] = str_list([])
    g.attrs["sample_varying"] = False
    g.attrs["time_varying"] = False
    g.create_dataset("mask", data=np.asarray(mask, dtype=bool))
    g.create_dataset("values", data=np.zeros(int(np.sum(mask)), dtype=np.float32))


def ends(n):
    m = np.zeros(n, dtype=bool)
    m[0] = m[-1] = True
    return m


def coded(space, order, channel, trajs=None, steps=None, dim_varying=None):
    """Values of one field in its stored layout: [B]? [T]? *space' [D]*order, where space' has
    size 1 on dim_varying=False axes. trajs: global trajectory numbers (None: not
    sample-varying); steps: number of stored steps (None: not time-varying)."""
    nd = len(space)
    dim_varying = dim_varying or [True] * nd
    stored = [n if v else 1 for n, v in zip(space, dim_varying)]
    lead = ([len(trajs)] if trajs is not None else []) + ([steps] if steps is not None else [])
    shape = lead + stored + [nd] * order
    idx = np.indices(shape)
    k = 0
    traj = np.full(shape, 9, dtype=np.int64)
    if trajs is not None:
        traj = np.asarray(trajs, dtype=np.int64)[idx[k]]
        k += 1
    step = np.full(shape, 9, dtype=np.int64)
    if steps is not None:
        step = idx[k]
        k += 1
    cell = np.zeros(shape, dtype=np.int64)
    for a in range(nd):
        cell = cell * space[a] + idx[k + a]
    comp = np.zeros(shape, dtype=np.int64)
    for a in range(order):
        comp = comp * nd + idx[k + nd + a]
    code = traj * 1_000_000 + step * 100_000 + (channel + comp) * 1_000 + cell
    return np.where(cell % 2 == 1, -code, code).astype(np.float32)


def plant(rng, data, specials=(np.nan, np.inf, -np.inf)):
    flat = data.reshape(-1)
    where = rng.choice(flat.size, size=len(specials), replace=False)
    for w, v in zip(where, specials):
        flat[w] = v
    return data


# --------------------------------------------------------------------------------------------
# Cases


def case_periodic2d(root, rng):
    """2-D 8x6 (x, y), two files (a: 2 trajectories, b: 1), T=9, x periodic, y wall."""
    dims, space, T = ["x", "y"], (8, 6), 9
    coords = [(np.arange(8) + 0.5) / 8, 2.0 + np.arange(6) * 0.25]
    times = {"a.hdf5": np.array([0, 1, 2, 4, 5, 7, 8, 10, 12]) / 4 + 1.5,
             "b.hdf5": np.array([0, 1, 3, 6, 10, 15, 21, 28, 36]) / 64 + 0.25}
    layout = {"a.hdf5": [0, 1], "b.hdf5": [2]}
    for fname, trajs in layout.items():
        B = len(trajs)
        scalars = [("Re", 100.0, False, False),
                   ("forcing", 0.25 * (np.array(trajs) + 1), True, False),
                   ("energy", np.array(trajs)[:, None] * 100 + np.arange(T)[None] / 8 + 0.5,
                    True, True)]
        with well_file(root / fname, "golden_periodic2d", dims, coords, times[fname], B,
                       scalars) as f:
            if fname == "a.hdf5":
                # y walls as one 2-D full-face mask over (x, y)
                add_bc(f, "x_periodic", "PERIODIC", ["x"], ends(8))
                wall = np.zeros(space, dtype=bool)
                wall[:, 0] = wall[:, -1] = True
                add_bc(f, "y_wall", "WALL", ["x", "y"], wall)
            else:
                # same codes, other encoding: 1-D masks, lower-case type names
                add_bc(f, "x_periodic", "periodic", ["x"], ends(8))
                add_bc(f, "y_wall", "wall", ["y"], ends(6))
            add_field(f, 0, "pressure", plant(rng, coded(space, 0, 0, trajs, T)))
            add_field(f, 0, "density", coded(space, 0, 1, trajs, T))
            add_field(f, 1, "velocity", plant(rng, coded(space, 1, 2, trajs, T), (np.nan,)))
            add_field(f, 2, "stress", coded(space, 2, 4, trajs, T))
            add_field(f, 0, "mask_field", plant(rng, coded(space, 0, 50, trajs)),
                      time_varying=False, sample_varying=True)
    return [dict(ti=4, to=1, s=1), dict(ti=2, to=3, s=2), dict(ti=1, to=1, s=3),
            dict(ti=2, to=3, s=1, cap=1), dict(ti=1, full=True), dict(ti=1, full=True, cap=3),
            dict(ti=1, s=2, full=True), dict(ti=2, full=True)]


def case_open3d(root, rng):
    """3-D 4x5x3, one file, 1 trajectory, T=6, no boundary-condition groups (all OPEN)."""
    dims, space, T = ["x", "y", "z"], (4, 5, 3), 6
    coords = [np.arange(4) / 4, 1.0 + np.arange(5) / 8, -1.0 + np.arange(3) / 2]
    times = np.array([0, 1, 2, 3, 5, 8]) / 16
    with well_file(root / "open3d.hdf5", "golden_open3d", dims, coords, times, 1) as f:
        add_field(f, 0, "temperature", plant(rng, coded(space, 0, 0, [0], T)))
        add_field(f, 1, "velocity", coded(space, 1, 1, [0], T))
        add_field(f, 2, "strain", plant(rng, coded(space, 2, 4, [0], T), (np.inf,)))
        add_field(f, 1, "b_field", coded(space, 1, 50, [0]), time_varying=False)
    return [dict(ti=4, to=1, s=1), dict(ti=2, to=1, s=2), dict(ti=1, to=2, s=2),
            dict(ti=1, full=True), dict(ti=1, full=True, cap=3)]


def case_shared2d(root, rng):
    """2-D 6x6, one file, 2 trajectories, T=5; fields shared by all trajectories
    (sample_varying=False) and fields stored with size 1 on a dim_varying=False axis."""
    dims, space, T = ["x", "y"], (6, 6), 5
    coords = [np.arange(6) / 8, np.arange(6) / 4]
    times = np.arange(T) / 2
    with well_file(root / "shared2d.hdf5", "golden_shared2d", dims, coords, times, 2) as f:
        add_bc(f, "x_periodic", "PERIODIC", ["x"], ends(6))
        add_bc(f, "y_open", "OPEN", ["y"], ends(6))
        add_field(f, 0, "u", plant(rng, coded(space, 0, 0, [0, 1], T)))
        add_field(f, 0, "forcing", coded(space, 0, 1, None, T), sample_varying=False)
        add_field(f, 0, "profile", coded(space, 0, 2, [0, 1], T, [True, False]),
                  dim_varying=[True, False])
        add_field(f, 1, "wind", coded(space, 1, 3, [0, 1], T, [False, True]),
                  dim_varying=[False, True])
        add_field(f, 0, "obstacle", plant(rng, coded(space, 0, 50), (np.nan,)),
                  time_varying=False, sample_varying=False)
        add_field(f, 0, "depth", coded(space, 0, 51, None, None, [False, True]),
                  time_varying=False, sample_varying=False, dim_varying=[False, True])
    return [dict(ti=2, to=1, s=1), dict(ti=1, to=2, s=2), dict(ti=1, full=True),
            dict(ti=1, full=True, cap=2)]


CASES = {"periodic2d": case_periodic2d, "open3d": case_open3d, "shared2d": case_shared2d}


# --------------------------------------------------------------------------------------------
# Goldens


def config_name(c):
    name = f"full_ti{c['ti']}" if c.get("full") else f"ti{c['ti']}_to{c['to']}"
    if not c.get("full") or c.get("s", 1) != 1:
        name += f"_s{c.get('s', 1)}"
    if c.get("cap", 100) != 100:
        name += f"_cap{c['cap']}"
    return name


def put(group, name, array):
    array = np.ascontiguousarray(array)
    kw = {}
    if array.size > 64:  # one gzip chunk per dataset
        kw = dict(chunks=array.shape, compression="gzip", compression_opts=9, shuffle=True)
    group.create_dataset(name, data=array, **kw)


def golden_file(path):
    """A new file in the v110 format (small chunk indexes, readable by HDF5 1.10 and later)
    without object timestamps, so reruns give the same bytes."""
    fapl = h5py.h5p.create(h5py.h5p.FILE_ACCESS)
    fapl.set_libver_bounds(h5py.h5f.LIBVER_V110, h5py.h5f.LIBVER_V110)
    fcpl = h5py.h5p.create(h5py.h5p.FILE_CREATE)
    fcpl.set_obj_track_times(False)
    return h5py.File(h5py.h5f.create(str(path).encode(), h5py.h5f.ACC_TRUNC, fcpl=fcpl, fapl=fapl))


def new_group(parent, name):
    gcpl = h5py.h5p.create(h5py.h5p.GROUP_CREATE)
    gcpl.set_obj_track_times(False)
    h5py.h5g.create(parent.id, name.encode(), gcpl=gcpl)
    return parent[name]


def golden(case_dir, configs, out_file):
    with golden_file(out_file) as g:
        g.attrs["the_well_version"] = importlib.metadata.version("the_well")
        g.attrs["torch_version"] = str(torch.__version__)
        g.attrs["h5py_version"] = str(h5py.__version__)
        g.attrs["numpy_version"] = str(np.__version__)
        g.attrs["data_path"] = "data/train"
        first = True
        for c in configs:
            kw = dict(n_steps_input=c["ti"], n_steps_output=c.get("to", 1),
                      min_dt_stride=c.get("s", 1), max_dt_stride=c.get("s", 1),
                      use_normalization=False, full_trajectory_mode=bool(c.get("full")),
                      max_rollout_steps=c.get("cap", 100))
            ds = WellDataset(path=str(case_dir / "data" / "train"), **kw)
            if first:
                md = ds.metadata
                g.attrs["dataset_name"] = md.dataset_name
                g.attrs["n_spatial_dims"] = md.n_spatial_dims
                g.attrs["spatial_resolution"] = np.array(md.spatial_resolution, dtype=np.int64)
                g.attrs["files"] = str_list(pathlib.Path(p).name for p in ds.files_paths)
                g.attrs["field_names"] = str_list(flatten_field_names(md, include_constants=False))
                g.attrs["field_names_with_constants"] = str_list(
                    flatten_field_names(md, include_constants=True))
                g.attrs["constant_field_names"] = str_list(
                    itertools.chain(*md.constant_field_names.values()))
                g.attrs["scalar_names"] = str_list(md.scalar_names)
                g.attrs["constant_scalar_names"] = str_list(md.constant_scalar_names)
                first = False
            n = len(ds)
            items = [ds[i] for i in range(n)]
            origin = [ds._load_one_sample(i)[1:4] for i in range(n)]
            batch = default_collate(items)
            (x,), y = DefaultChannelsFirstFormatter(ds.metadata).process_input(batch)
            grp = new_group(g, config_name(c))
            grp.attrs["n_steps_input"] = c["ti"]
            grp.attrs["n_steps_output_arg"] = kw["n_steps_output"]
            grp.attrs["n_steps_output"] = int(ds.n_steps_output)
            grp.attrs["output_steps"] = int(batch["output_fields"].shape[1])
            grp.attrs["min_dt_stride"] = kw["min_dt_stride"]
            grp.attrs["max_dt_stride"] = kw["max_dt_stride"]
            grp.attrs["full_trajectory_mode"] = int(kw["full_trajectory_mode"])
            grp.attrs["max_rollout_steps"] = kw["max_rollout_steps"]
            grp.attrs["start_output_steps_at_t"] = -1
            grp.attrs["length"] = n
            grp.attrs["n_windows_per_trajectory"] = np.array(ds.n_windows_per_trajectory,
                                                             dtype=np.int64)
            grp.attrs["file_index_offsets"] = np.array(ds.file_index_offsets, dtype=np.int64)
            grp.attrs["keys"] = str_list(sorted(batch.keys()))
            for key in ("input_fields", "output_fields", "constant_fields", "input_scalars",
                        "output_scalars", "constant_scalars", "boundary_conditions",
                        "input_time_grid", "output_time_grid", "space_grid"):
                if key in batch:
                    assert batch[key].dtype == torch.float32, (key, batch[key].dtype)
                    put(grp, key, batch[key].numpy())
            put(grp, "formatted_input", x.numpy())
            put(grp, "formatted_target", y.numpy())
            put(grp, "item_origin", np.array(origin, dtype=np.int64).reshape(n, 3))
            print(f"  {config_name(c)}: len={n} "
                  + " ".join(f"{k}{list(v.shape)}" for k, v in sorted(batch.items())))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="tests/data/well_windows")
    args = parser.parse_args()
    torch.set_num_threads(1)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for i, (name, build) in enumerate(CASES.items()):
        case_dir = out / name
        if case_dir.exists():
            shutil.rmtree(case_dir)
        train = case_dir / "data" / "train"
        train.mkdir(parents=True)
        configs = build(train, np.random.default_rng(SEED + i))
        print(name)
        golden(case_dir, configs, out / f"{name}.golden.hdf5")


if __name__ == "__main__":
    main()
