#!/usr/bin/env python3
"""Writes the small Well-format HDF5 fixtures in tests/data/well with h5py, encoded the way The
Well's own files are (h5py: variable-length UTF-8 string attributes, numpy bool as HDF5 enum).

    python -m venv ~/.cache/gavel/venv-tools
    ~/.cache/gavel/venv-tools/bin/pip install h5py==3.12.1 numpy==2.1.3
    ~/.cache/gavel/venv-tools/bin/python tools/make_well_fixtures.py tests/data/well

The fixtures cover the schema (t0/t1/t2, constant fields, scalars), boundary-condition layouts
whose reduction follows the_well's WellDataset (see tools/the-well-semantics.md) and broken files.
"""
import pathlib
import sys

import h5py
import numpy as np

RNG = np.random.default_rng(20261127)


def field(f, order, name, shape, time_varying=True, sample_varying=True, pseudo=False):
    group = f[f"t{order}_fields"]
    data = RNG.standard_normal(shape).astype(np.float32)
    ds = group.create_dataset(name, data=data)
    ds.attrs["time_varying"] = time_varying
    ds.attrs["sample_varying"] = sample_varying
    ds.attrs["dim_varying"] = np.array([True] * f.attrs["n_spatial_dims"])
    if pseudo:
        ds.attrs["gavel_parity"] = "pseudo"
    group.attrs["field_names"] = list(group.attrs["field_names"]) + [name]
    return ds


def well_file(path, name, shape, n_traj, n_steps, grid_type="cartesian", dims=None):
    f = h5py.File(path, "w")
    nd = len(shape)
    dims = dims or ["x", "y", "z"][:nd]
    f.attrs["dataset_name"] = name
    f.attrs["grid_type"] = grid_type
    f.attrs["n_spatial_dims"] = nd
    f.attrs["n_trajectories"] = n_traj
    f.attrs["simulation_parameters"] = ["Re"]
    f.attrs["Re"] = 100.0
    d = f.create_group("dimensions")
    d.attrs["spatial_dims"] = dims
    t = d.create_dataset("time", data=np.linspace(0, 1, n_steps, dtype=np.float32))
    t.attrs["sample_varying"] = False
    for axis, n in zip(dims, shape):
        c = d.create_dataset(axis, data=(np.arange(n, dtype=np.float32) + 0.5) / n)
        c.attrs["sample_varying"] = False
        c.attrs["time_varying"] = False
    s = f.create_group("scalars")
    s.attrs["field_names"] = ["Re"]
    re_ = s.create_dataset("Re", data=np.float32(100.0))
    re_.attrs["sample_varying"] = False
    re_.attrs["time_varying"] = False
    for order in range(3):
        f.create_group(f"t{order}_fields").attrs["field_names"] = []
    f.create_group("boundary_conditions")
    return f


def bc(f, name, bc_type, dims, mask):
    g = f["boundary_conditions"].create_group(name)
    g.attrs["bc_type"] = bc_type
    g.attrs["associated_dims"] = dims
    g.attrs["associated_fields"] = []
    g.attrs["sample_varying"] = False
    g.attrs["time_varying"] = False
    g.create_dataset("mask", data=np.asarray(mask, dtype=bool))
    g.create_dataset("values", data=np.zeros(int(np.sum(mask)), dtype=np.float32))


def ends(n):
    m = np.zeros(n, dtype=bool)
    m[0] = m[-1] = True
    return m


def main(out):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    dataset_folder(out.parent / "well_dataset")

    with well_file(out / "periodic_2d.hdf5", "fixture_periodic", (8, 8), 2, 5) as f:
        bc(f, "x_periodic", "periodic", ["x"], ends(8))
        bc(f, "y_periodic", "PERIODIC", ["y"], ends(8))
        field(f, 0, "density", (2, 5, 8, 8))
        field(f, 0, "vorticity", (2, 5, 8, 8), pseudo=True)
        field(f, 1, "velocity", (2, 5, 8, 8, 2))
        field(f, 2, "stress", (2, 5, 8, 8, 2, 2))
        field(f, 0, "obstacle", (8, 8), time_varying=False, sample_varying=False)

    with well_file(out / "mixed_bc_2d.hdf5", "fixture_mixed", (6, 4), 1, 3) as f:
        # x: open at both ends; y: a full wall at the low face, a partial wall at the high face
        # (the_well sets WALL only where the whole face is masked, so y high stays OPEN).
        bc(f, "x_open", "open", ["x"], ends(6))
        low = np.zeros((6, 4), dtype=bool)
        low[:, 0] = True
        bc(f, "y0_wall", "wall", ["x", "y"], low)
        high = np.zeros((6, 4), dtype=bool)
        high[:3, -1] = True
        bc(f, "y_partial_wall", "wall", ["x", "y"], high)
        field(f, 0, "pressure", (1, 3, 6, 4))

    with well_file(out / "acoustic_like_2d.hdf5", "fixture_acoustic", (8, 8), 1, 3) as f:
        for axis in ("x", "y"):
            low = np.zeros(8, dtype=bool)
            low[0] = True
            high = np.zeros(8, dtype=bool)
            high[-1] = True
            bc(f, f"{axis}0_wall", "WALL", [axis], low)
            bc(f, f"{axis}L_open", "OPEN", [axis], high)
        field(f, 0, "pressure", (1, 3, 8, 8))
        field(f, 1, "velocity", (1, 3, 8, 8, 2))

    with well_file(out / "cube_3d.hdf5", "fixture_cube", (4, 4, 4), 1, 3) as f:
        for axis in ("x", "y", "z"):
            bc(f, f"{axis}_periodic", "PERIODIC", [axis], ends(4))
        field(f, 0, "density", (1, 3, 4, 4, 4))
        field(f, 1, "magnetic_field", (1, 3, 4, 4, 4, 3), pseudo=True)

    with well_file(out / "no_bc_2d.hdf5", "fixture_no_bc", (4, 4), 1, 2) as f:
        field(f, 0, "u", (1, 2, 4, 4))

    with well_file(out / "spherical.hdf5", "fixture_sphere", (4, 8), 1, 2, grid_type="equiangular",
                   dims=["theta", "phi"]) as f:
        bc(f, "phi_periodic", "PERIODIC", ["phi"], ends(8))
        field(f, 0, "height", (1, 2, 4, 8))

    # Broken files.
    (out / "not_hdf5.hdf5").write_text("this is not an HDF5 file\n")
    whole = (out / "no_bc_2d.hdf5").read_bytes()
    (out / "truncated.hdf5").write_bytes(whole[: len(whole) // 3])
    with well_file(out / "bad_bc_type.hdf5", "fixture_bad_bc", (4, 4), 1, 2) as f:
        bc(f, "x_slippery", "SLIPPERY", ["x"], ends(4))
        field(f, 0, "u", (1, 2, 4, 4))
    with well_file(out / "shape_mismatch.hdf5", "fixture_bad_shape", (4, 4), 1, 2) as f:
        field(f, 0, "u", (1, 2, 4, 4))
        field(f, 1, "v", (1, 2, 4, 5, 2))
    with well_file(out / "missing_dimensions.hdf5", "fixture_no_dims", (4, 4), 1, 2) as f:
        field(f, 0, "u", (1, 2, 4, 4))
        del f["dimensions"]


def stats_yaml(path, fields):
    """The Well's stats.yaml: per field mean/std/rms (population) and their delta versions,
    per component, written with %.4E like the_well's compute_statistics script."""

    def fmt(a):
        if a.ndim == 0:
            return "%.4E" % a
        return "[" + ", ".join(fmt(x) for x in a) + "]"

    lines = []
    for key in ("mean", "std", "rms", "mean_delta", "std_delta", "rms_delta"):
        lines.append(f"{key}:")
        for name, (data, order) in fields.items():
            x = data.astype(np.float64)
            if key.endswith("_delta"):
                x = x[:, 1:] - x[:, :-1]
            axes = tuple(range(x.ndim - order))
            value = {"mean": x.mean(axis=axes), "std": x.std(axis=axes),
                     "rms": np.sqrt((x ** 2).mean(axis=axes))}[key.split("_")[0]]
            lines.append(f"  {name}: {fmt(np.asarray(value))}")
    path.write_text("\n".join(lines) + "\n")


def dataset_folder(out):
    root = out / "fixture_small"
    fields = {}
    for split, n_traj in (("train", 2), ("valid", 1), ("test", 1)):
        folder = root / "data" / split
        folder.mkdir(parents=True, exist_ok=True)
        with well_file(folder / "fixture_small_Re_100.hdf5", "fixture_small", (4, 4), n_traj, 3) as f:
            for axis in ("x", "y"):
                bc(f, f"{axis}_periodic", "PERIODIC", [axis], ends(4))
            u = field(f, 0, "tracer", (n_traj, 3, 4, 4))
            v = field(f, 1, "velocity", (n_traj, 3, 4, 4, 2))
            if split == "train":
                fields = {"tracer": (u[...], 0), "velocity": (v[...], 1)}
    stats_yaml(root / "stats.yaml", fields)
    bad = out / "bad_stats"
    (bad / "data" / "train").mkdir(parents=True, exist_ok=True)
    (bad / "data" / "train" / "fixture_small_Re_100.hdf5").write_bytes(
        (root / "data" / "train" / "fixture_small_Re_100.hdf5").read_bytes())
    (bad / "stats.yaml").write_text("mean:\n  tracer: 0.5\n  velocity: 1.0\nstd:\n  tracer: 2.0\n")
    (out / "broken.yaml").write_text("mean: [1, 2\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/data/well")
