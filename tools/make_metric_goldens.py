#!/usr/bin/env python3
"""Golden metric values made with The Well's own metric classes (the_well 1.2.0
`the_well.benchmark.metrics`), its trainer's aggregation (`Trainer.validation_loop`), and
PDEBench 0.1.0's own `pdebench.models.metrics.metric_func`, so gavel's metrics can be checked.

    ~/.cache/gavel/venv-reference/bin/python tools/make_metric_goldens.py \
        --out tests/data/metrics/metrics.golden.hdf5

The PDEBench values need a second venv (see tools/requirements-pdebench.txt):

    python3 -m venv ~/.cache/gavel/venv-pdebench
    ~/.cache/gavel/venv-pdebench/bin/pip install -r tools/requirements-pdebench.txt
    ~/.cache/gavel/venv-pdebench/bin/pip install --no-deps --ignore-requires-python pdebench==0.1.0

This script runs itself under that interpreter (`--pdebench-python`, default
~/.cache/gavel/venv-pdebench/bin/python) in a worker mode that only needs numpy and torch; without
it, `--no-pdebench` leaves the `pdebench` groups out.

Data: x (prediction) and y (reference), float32 [B, T, *space, C] (channels last, as the_well's
metrics take them). Each channel has its own mean/scale; y = smooth periodic modes + noise, x = y +
another smooth/noisy error + a bias. Every value is a multiple of a power of two small enough to
be exact in float32, so the stored x, y are exactly what the references saw.

Every stored value is also recomputed by a float64 numpy port of the definitions written in
tools/the-well-semantics.md (§5 and "PDEBench metrics as installed"); the run fails if they
disagree (float64 reference paths: 1e-9 relative; float32 paths: 2e-5 relative).
Deterministic: reruns give the same bytes. See tests/data/metrics/README.md for the layout.
"""
import argparse
import importlib.metadata
import json
import os
import pathlib
import subprocess
import sys
import tempfile

import numpy as np

SEED = 20261129
EPS = 1e-7
F32 = np.float32

# (mean, scale, error scale, bias) per channel; all powers of two or small dyadic numbers.
CHANNELS = [(0.0, 1.0, 0.25, 0.0), (3.0, 0.125, 0.0625, 0.03125), (-10.0, 4.0, 2.0, -0.5)]

# name, spatial shape, B, T, C, kind
CASES = [
    ("d2_16x16", (16, 16), 2, 3, 3, "random"),
    ("d2_12x20", (12, 20), 2, 2, 2, "random"),
    ("d2_32x32", (32, 32), 2, 2, 3, "random"),
    ("d2_256x256", (256, 256), 1, 1, 1, "random"),
    ("d3_8x8x8", (8, 8, 8), 2, 2, 3, "random"),
    ("d3_6x10x4", (6, 10, 4), 2, 3, 2, "random"),
    ("d2_const", (16, 16), 2, 2, 4, "const"),
    ("d3_const", (6, 10, 4), 2, 2, 4, "const"),
    ("d2_equal", (16, 16), 2, 2, 2, "equal"),
]
CASE_NOTES = {
    "random": "random fields, channel c: y = m_c + s_c*(smooth + 0.3 noise), "
              "x = y + e_c*(smooth' + 0.5 noise') + d_c",
    "const": "channel 0 random; channel 1: y constant 2.5 (zero variance), x = y + noise; "
             "channel 2: y constant -1 and x constant -0.75; channel 3: y = 0 everywhere, x = noise/8",
    "equal": "x == y (random y)",
}

# Resolutions of The Well's datasets (and of the cases) for the spectral bin tables.
BIN_SHAPES = [(12, 20), (16, 16), (32, 32), (64, 64), (128, 128), (256, 256), (512, 512),
              (1024, 256), (256, 512), (512, 128), (128, 384), (6, 10, 4), (8, 8, 8),
              (64, 64, 64), (128, 128, 128), (192, 128, 66), (128, 128, 256), (256, 256, 256)]

WELL_METRICS = ["MSE", "MAE", "NMAE", "RMSE", "NMSE", "NRMSE", "VMSE", "VRMSE", "LInfinity",
                "PearsonR"]
SPECTRAL_KEYS = [f"spectral_error_{k}_per_bin_{i}" for k in ("mse", "nmse") for i in range(3)]
PDEBENCH_OUT = ["err_RMSE", "err_nRMSE", "err_CSV", "err_Max", "err_BD", "err_F"]

# Aggregation: a "dataloader" of two batches through the trainer's own validation_loop.
AGG_SPACE, AGG_B, AGG_T, AGG_BATCHES = (12, 12), 2, 6, 2
AGG_FIELDS = {0: ["density"], 1: ["velocity_x", "velocity_y"]}
AGG_NUM_TIME_INTERVALS = 5  # the_well/benchmark/configs/trainer/defaults.yaml
AGG_SHORT_VALIDATION_LENGTH = 20


# --------------------------------------------------------------------------------------------
# data


def q(a, step):
    """Round to a multiple of step (a power of two), so the value is exact in float32."""
    return np.round(a / step) * step


def smooth(rng, shape):
    grids = np.meshgrid(*[np.arange(n) / n for n in shape], indexing="ij")
    out = np.zeros(shape)
    for _ in range(4):
        k = rng.integers(-3, 4, size=len(shape))
        if not k.any():
            k[0] = 1
        phase = 2 * np.pi * sum(ki * g for ki, g in zip(k, grids)) + rng.uniform(0, 2 * np.pi)
        out += rng.normal() * np.cos(phase)
    return out / max(out.std(), 1e-3)


def make_case(index, space, B, T, C, kind):
    rng = np.random.default_rng(SEED + index)
    x = np.zeros((B, T, *space, C))
    y = np.zeros((B, T, *space, C))
    for b in range(B):
        for t in range(T):
            for c in range(C):
                m, s, e, d = CHANNELS[c % len(CHANNELS)]
                zy = smooth(rng, space) + 0.3 * rng.normal(size=space)
                zx = smooth(rng, space) + 0.5 * rng.normal(size=space)
                y[b, t, ..., c] = m + s * q(zy, 1 / 64)
                x[b, t, ..., c] = y[b, t, ..., c] + e * q(zx, 1 / 64) + d
    if kind == "const":
        noise = q(rng.normal(size=(B, T, *space)), 1 / 64)
        y[..., 1] = 2.5
        x[..., 1] = 2.5 + noise
        y[..., 2] = -1.0
        x[..., 2] = -0.75
        y[..., 3] = 0.0
        x[..., 3] = noise / 8
    elif kind == "equal":
        x = y.copy()
    assert np.array_equal(x.astype(F32).astype(np.float64), x)
    assert np.array_equal(y.astype(F32).astype(np.float64), y)
    return x.astype(F32), y.astype(F32)


def make_aggregation():
    C = sum(map(len, AGG_FIELDS.values()))
    xs, ys = [], []
    for i in range(AGG_BATCHES):
        x, y = make_case(1000 + i, AGG_SPACE, AGG_B, AGG_T, C, "random")
        # make the error grow with time, as in a rollout
        growth = (1 + np.arange(AGG_T, dtype=F32) / 2).reshape(1, AGG_T, 1, 1, 1)
        x = (y + (x - y) * growth).astype(F32)
        xs.append(x)
        ys.append(y)
    return np.stack(xs), np.stack(ys)


# --------------------------------------------------------------------------------------------
# float64 numpy port of the definitions (tools/the-well-semantics.md §5)


def bin_edges(space):
    """the_well's default bins, reproduced: torch.logspace in float32 (start and end rounded to
    float32, step = double(end_f - start_f)/3, 10**(start + step*i) for i < 2 and
    10**(end - step*(3-i)) for i >= 2, each rounded to float32), then bins[0] = 0."""
    nd = len(space)
    s = F32(np.log10(2 * np.pi / max(space)))
    e = F32(np.log10(np.pi * np.sqrt(nd) + 1e-6))
    step = float(F32(e - s)) / 3
    out = [0.0]
    for i in (1, 2, 3):
        out.append(10.0 ** (float(s) + step * i) if i < 2 else 10.0 ** (float(e) - step * (3 - i)))
    return np.array(out, dtype=F32)


def wavenumbers(space):
    """float32 |k| per grid point, C order: k_i = fl(fl(n_i * fl(1/N_i)) * fl(2 pi)) with n_i the
    signed fftfreq integer, summed as float32 squares in axis order, correctly rounded sqrt."""
    nd = len(space)
    acc = np.zeros(space, dtype=F32)
    for i, n in enumerate(space):
        ints = np.rint(np.fft.fftfreq(n) * n).astype(F32)
        k = (ints * F32(1.0 / n)).astype(F32) * F32(2 * np.pi)
        shape = [1] * nd
        shape[i] = n
        acc = (acc + (k * k).astype(F32).reshape(shape)).astype(F32)
    return np.sqrt(acc).astype(F32)


def bin_index(space):
    """Bucket of every grid point (torch.bucketize(right=True) - 1): edges[i] <= |k| < edges[i+1];
    3 = the discarded last bucket."""
    return (np.searchsorted(bin_edges(space), wavenumbers(space).ravel(), side="right") - 1
            ).reshape(space)


def port_well(x, y, nd):
    x = x.astype(np.float64)
    y = y.astype(np.float64)
    ax = tuple(range(2, 2 + nd))
    d = x - y
    mse = np.mean(d**2, axis=ax)
    mae = np.mean(np.abs(d), axis=ax)
    var_y = np.var(y, axis=ax, ddof=1)
    out = {
        "MSE": mse, "MAE": mae, "NMAE": mae / (np.mean(np.abs(y), axis=ax) + EPS),
        "RMSE": np.sqrt(mse), "NMSE": mse / (np.mean(y**2, axis=ax) + EPS),
        "VMSE": mse / (var_y + EPS), "LInfinity": np.max(np.abs(d), axis=ax),
    }
    out["NRMSE"] = np.sqrt(out["NMSE"])
    out["VRMSE"] = np.sqrt(out["VMSE"])
    xm = x - x.mean(axis=ax, keepdims=True)
    ym = y - y.mean(axis=ax, keepdims=True)
    cov = np.mean(xm * ym, axis=ax)
    out["PearsonR"] = cov / (np.std(x, axis=ax, ddof=1) * np.std(y, axis=ax, ddof=1) + EPS)
    # binned spectral
    space = x.shape[2:2 + nd]
    idx = bin_index(space).ravel()
    P = float(np.prod(space))

    def per_bin(f):
        F = np.fft.fftn(f, axes=ax)
        p2 = (np.abs(F) ** 2).reshape(f.shape[:2] + (-1, f.shape[-1]))
        res = []
        for b in range(3):
            cnt = int(np.sum(idx == b))
            ssum = p2[:, :, idx == b, :].sum(axis=2)
            mean = ssum / float(F32(cnt + 1e-7))  # counts + 1e-7 is a float32 tensor
            res.append(mean * cnt / P**2)
        return res

    err = per_bin(d)
    tru = per_bin(y)
    for b in range(3):
        out[f"spectral_error_mse_per_bin_{b}"] = err[b]
        out[f"spectral_error_nmse_per_bin_{b}"] = err[b] / (tru[b] + EPS)
    return out


def port_pdebench(x, y, nd, i_low=4, i_high=12):
    """PDEBench 0.1.0 metric_func(if_mean=False, Lx=Ly=Lz=1) on [B, T, *space, C] data."""
    x = x.astype(np.float64)
    y = y.astype(np.float64)
    B, T, C = x.shape[0], x.shape[1], x.shape[-1]
    space = x.shape[2:2 + nd]
    P = int(np.prod(space))
    xf = x.reshape(B, T, P, C)
    yf = y.reshape(B, T, P, C)
    rmse_s = np.sqrt(np.mean((xf - yf) ** 2, axis=2))  # [B, T, C]
    with np.errstate(divide="ignore", invalid="ignore"):  # no eps: y == 0 gives inf or nan
        nrmse = (rmse_s / np.sqrt(np.mean(yf**2, axis=2))).mean(0).T
    out = {"err_RMSE": rmse_s.mean(0).T, "err_nRMSE": nrmse}
    dsum = xf.sum(2) - yf.sum(2)  # [B, T, C]
    out["err_CSV"] = (np.sqrt(np.mean(dsum**2, axis=0)) / P).T
    out["err_Max"] = np.abs(xf - yf).max(axis=2).max(axis=0).T
    d2 = (x - y) ** 2  # [B, T, *space, C]
    face_sum = 0.0
    for a in range(nd):
        lo = np.take(d2, 0, axis=2 + a)
        hi = np.take(d2, space[a] - 1, axis=2 + a)
        face_sum = face_sum + (lo + hi).sum(axis=tuple(range(2, 1 + nd)))  # [B, T, C]
    if nd == 2:
        out["err_BD"] = np.sqrt(face_sum / (2 * space[0] + 2 * space[1])).mean(0).T
    else:
        nx, ny, nz = space
        area = 2 * nx * ny + 2 * ny * nz + 2 * nz * nx
        out["err_BD"] = np.sqrt(face_sum.sum(-1) / area).mean(0)  # channels summed: [T]
    F = np.abs(np.fft.fftn(x - y, axes=tuple(range(2, 2 + nd)))) ** 2
    nb = min(n // 2 for n in space)
    acc = np.zeros((B, T, nb, C))
    for ijk in np.ndindex(*[n // 2 for n in space]):
        it = int(np.floor(np.sqrt(sum(i * i for i in ijk))))
        if it <= nb - 1:
            acc[:, :, it, :] += F[(slice(None), slice(None)) + ijk + (slice(None),)]
    spec = np.sqrt(acc.mean(0)) / P  # [T, nb, C]
    with np.errstate(invalid="ignore"):
        bands = [spec[:, :i_low].mean(1) if i_low > 0 and nb > 0 else np.full((T, C), np.nan),
                 spec[:, i_low:i_high].mean(1) if nb > i_low else np.full((T, C), np.nan),
                 spec[:, i_high:].mean(1) if nb > i_high else np.full((T, C), np.nan)]
    out["err_F"] = np.stack(bands, axis=1).transpose(2, 1, 0)  # [C, 3, T]
    return out


def close(a, b, rtol, what):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise SystemExit(f"FAIL {what}: shape {a.shape} vs port {b.shape}")
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    with np.errstate(invalid="ignore"):
        ok = (nan_a == nan_b) & (nan_a | (np.abs(a - b) <= rtol * np.abs(b) + 1e-30) | (a == b))
    if not ok.all():
        i = np.flatnonzero(~ok.ravel())[0]
        raise SystemExit(f"FAIL {what}: {a.ravel()[i]!r} vs port {b.ravel()[i]!r} "
                         f"({(~ok).sum()} of {ok.size} differ)")


# --------------------------------------------------------------------------------------------
# PDEBench worker (runs under the pdebench venv: numpy + torch + pdebench only)


def pdebench_worker(inp, out):
    os.environ["CUDA_VISIBLE_DEVICES"] = ""
    import torch
    torch.set_num_threads(1)
    from pdebench.models.metrics import metric_func

    data = np.load(inp)
    res, info = {}, {"torch_version": str(torch.__version__), "numpy_version": np.__version__,
                     "pdebench_version": importlib.metadata.version("pdebench"),
                     "if_mean_errors": {}}
    for key in sorted({k.rsplit("/", 1)[0] for k in data.files}):
        for prec, dtype in (("f32", np.float32), ("f64", np.float64)):
            tensors = []
            for v in ("x", "y"):
                a = np.moveaxis(data[f"{key}/{v}"].astype(dtype), 1, -2)  # [B, *space, T, C]
                if a.ndim == 6:
                    # 3-D: metric_func's .view() on its face slices needs channels-first memory
                    t = torch.from_numpy(np.ascontiguousarray(np.moveaxis(a, -1, 1)))
                    t = t.permute(0, 2, 3, 4, 5, 1)
                else:
                    t = torch.from_numpy(np.ascontiguousarray(a))
                tensors.append(t)
            with torch.no_grad():
                vals = metric_func(tensors[0], tensors[1], if_mean=False)
                for name, v in zip(PDEBENCH_OUT, vals):
                    res[f"{key}/{prec}/{name}"] = v.numpy()
                try:
                    vals = metric_func(tensors[0], tensors[1], if_mean=True)
                    for name, v in zip(PDEBENCH_OUT, vals):
                        res[f"{key}/{prec}/mean/{name}"] = v.numpy()
                except RuntimeError as err:
                    info["if_mean_errors"][f"{key}/{prec}"] = str(err)
    np.savez(out, **res)
    with open(out + ".json", "w") as f:
        json.dump(info, f)


def run_pdebench(python, cases):
    with tempfile.TemporaryDirectory() as tmp:
        inp = os.path.join(tmp, "in.npz")
        out = os.path.join(tmp, "out.npz")
        np.savez(inp, **{f"{n}/{v}": a for n, (x, y) in cases.items()
                         for v, a in (("x", x), ("y", y))})
        env = dict(os.environ, CUDA_VISIBLE_DEVICES="", PYTHONWARNINGS="ignore")
        subprocess.run([python, os.path.abspath(__file__), "--pdebench-worker", inp, out],
                       check=True, env=env)
        with np.load(out) as r:
            res = {k: r[k] for k in r.files}
        with open(out + ".json") as f:
            info = json.load(f)
    return res, info


# --------------------------------------------------------------------------------------------
# HDF5 writing (v110 format, no timestamps: reruns give the same bytes)


def golden_file(path, h5py):
    fapl = h5py.h5p.create(h5py.h5p.FILE_ACCESS)
    fapl.set_libver_bounds(h5py.h5f.LIBVER_V110, h5py.h5f.LIBVER_V110)
    fcpl = h5py.h5p.create(h5py.h5p.FILE_CREATE)
    fcpl.set_obj_track_times(False)
    return h5py.File(h5py.h5f.create(str(path).encode(), h5py.h5f.ACC_TRUNC, fcpl=fcpl, fapl=fapl))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="tests/data/metrics/metrics.golden.hdf5")
    ap.add_argument("--pdebench-python",
                    default=os.path.expanduser("~/.cache/gavel/venv-pdebench/bin/python"))
    ap.add_argument("--no-pdebench", action="store_true")
    ap.add_argument("--pdebench-worker", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.pdebench_worker:
        pdebench_worker(*args.pdebench_worker)
        return

    import h5py
    import torch
    import the_well.benchmark.trainer.training as training
    from the_well.benchmark import metrics as M
    from the_well.benchmark.metrics.spectral import power_spectrum
    from the_well.data.datasets import WellMetadata
    from the_well.data.utils import flatten_field_names

    torch.set_num_threads(1)
    STR = h5py.string_dtype()

    def meta_for(name, space, B, T, field_names):
        return WellMetadata(
            dataset_name=name, n_spatial_dims=len(space), spatial_resolution=tuple(space),
            scalar_names=[], constant_scalar_names=[], field_names=field_names,
            constant_field_names={}, boundary_condition_types=["PERIODIC"] * len(space),
            n_files=1, n_trajectories_per_file=[B], n_steps_per_trajectory=[T],
            grid_type="cartesian")

    def new_group(parent, name):
        gcpl = h5py.h5p.create(h5py.h5p.GROUP_CREATE)
        gcpl.set_obj_track_times(False)
        h5py.h5g.create(parent.id, name.encode(), gcpl=gcpl)
        return parent[name]

    def put(group, name, array):
        array = np.asarray(array)  # keeps 0-d values 0-d (ascontiguousarray would not)
        if not array.flags.c_contiguous:
            array = array.copy()
        kw = {}
        if array.size > 64:
            kw = dict(chunks=array.shape, compression="gzip", compression_opts=9, shuffle=True)
        group.create_dataset(name, data=array, track_times=False, **kw)

    def well_metrics(x, y, meta):
        out = {}
        for name in WELL_METRICS:
            out[name] = getattr(M, name)()(x, y, meta).numpy()
        for k, v in M.binned_spectral_mse()(x, y, meta).items():
            out[k] = v.numpy()
        return out

    cases = {}
    for i, (name, space, B, T, C, kind) in enumerate(CASES):
        cases[name] = make_case(i, space, B, T, C, kind)

    pde, pde_info = None, None
    if not args.no_pdebench:
        if not os.path.exists(args.pdebench_python):
            raise SystemExit(f"{args.pdebench_python} missing: make the pdebench venv "
                             "(tools/requirements-pdebench.txt) or pass --no-pdebench")
        pde, pde_info = run_pdebench(args.pdebench_python, cases)

    out_path = pathlib.Path(args.out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with golden_file(out_path, h5py) as g:
        g.attrs["the_well_version"] = importlib.metadata.version("the_well")
        g.attrs["torch_version"] = str(torch.__version__)
        g.attrs["h5py_version"] = str(h5py.__version__)
        g.attrs["numpy_version"] = str(np.__version__)
        if pde_info:
            g.attrs["pdebench_version"] = pde_info["pdebench_version"]
            g.attrs["pdebench_torch_version"] = pde_info["torch_version"]
            g.attrs["pdebench_numpy_version"] = pde_info["numpy_version"]
        g.attrs["seed"] = SEED
        g.attrs["layout"] = "[B, T, *space, C]"
        g.attrs["eps"] = EPS
        g.attrs["cases"] = np.array([c[0] for c in CASES], dtype=STR)
        g.attrs["metrics"] = np.array(WELL_METRICS + ["binned_spectral_mse"], dtype=STR)
        g.attrs["spectral_keys"] = np.array(SPECTRAL_KEYS, dtype=STR)

        for name, space, B, T, C, kind in CASES:
            x, y = cases[name]
            nd = len(space)
            meta = meta_for(f"gavel_golden_{name}", space, B, T, {0: [f"c{i}" for i in range(C)]})
            grp = new_group(g, name)
            grp.attrs["n_spatial_dims"] = nd
            grp.attrs["spatial_resolution"] = np.array(space, dtype=np.int64)
            grp.attrs["B"], grp.attrs["T"], grp.attrs["C"] = B, T, C
            grp.attrs["description"] = CASE_NOTES[kind]
            put(grp, "x", x)
            put(grp, "y", y)
            port = port_well(x, y, nd)
            r32 = well_metrics(torch.from_numpy(x), torch.from_numpy(y), meta)
            r64 = well_metrics(torch.from_numpy(x).double(), torch.from_numpy(y).double(), meta)
            sg32 = new_group(grp, "binned_spectral_mse")
            f64 = new_group(grp, "f64")
            sg64 = new_group(f64, "binned_spectral_mse")
            for k in WELL_METRICS + SPECTRAL_KEYS:
                assert r32[k].dtype == np.float32 and r32[k].shape == (B, T, C), (k, r32[k].shape)
                assert r64[k].dtype == np.float64
                close(r32[k], port[k], 2e-5, f"{name}/{k} (float32)")
                close(r64[k], port[k], 1e-9, f"{name}/{k} (float64)")
                put(sg32 if k in SPECTRAL_KEYS else grp, k, r32[k])
                put(sg64 if k in SPECTRAL_KEYS else f64, k, r64[k])
            # the bins the default call used: passing ours explicitly must give the same bits
            edges = bin_edges(space)
            again = M.binned_spectral_mse()(torch.from_numpy(x), torch.from_numpy(y), meta,
                                            bins=torch.from_numpy(edges))
            for k in SPECTRAL_KEYS:
                assert np.array_equal(again[k].numpy(), r32[k]), f"{name}: bin edges differ"
            _, _, _, counts = power_spectrum(torch.from_numpy(y), meta, bins=torch.from_numpy(edges),
                                             return_counts=True)
            idx = bin_index(space)
            assert np.array_equal(np.bincount(idx.ravel(), minlength=4), counts.numpy()), name
            spec = new_group(grp, "spectral")
            put(spec, "bin_edges", edges)
            put(spec, "counts", counts.numpy().astype(np.int64))
            put(spec, "bin_index", idx.astype(np.int8))

            if pde is not None:
                pg = new_group(grp, "pdebench")
                pg.attrs["layout_passed"] = "[B, *space, T, C]"
                pg.attrs["memory"] = ("channels-first contiguous, viewed as [B, *space, T, C]"
                                      if nd == 3 else "contiguous [B, *space, T, C]")
                pg.attrs["Lx"] = pg.attrs["Ly"] = pg.attrs["Lz"] = 1.0
                pg.attrs["iLow"], pg.attrs["iHigh"] = 4, 12
                pport = port_pdebench(x, y, nd)
                for prec in ("f32", "f64"):
                    sub = new_group(pg, prec) if prec == "f64" else pg
                    for k in PDEBENCH_OUT:
                        v = pde[f"{name}/{prec}/{k}"]
                        close(v, pport[k], 2e-5 if prec == "f32" or k == "err_F" else 1e-9,
                              f"{name}/pdebench/{prec}/{k}")
                        put(sub, k, v)
                    if f"{name}/{prec}/mean/err_RMSE" in pde:
                        mg = new_group(sub, "mean")
                        for k in PDEBENCH_OUT:
                            put(mg, k, pde[f"{name}/{prec}/mean/{k}"])
                    else:
                        sub.attrs["if_mean_error"] = pde_info["if_mean_errors"][f"{name}/{prec}"]

        # spectral bins at The Well's resolutions
        sb = new_group(g, "spectral_bins")
        for space in BIN_SHAPES:
            nd = len(space)
            sname = "x".join(map(str, space))
            meta = meta_for("bins", space, 1, 1, {0: ["a"]})
            edges = bin_edges(space)
            z = torch.zeros((1, 1, *space, 1))
            _, _, _, counts = power_spectrum(z, meta, bins=torch.from_numpy(edges), return_counts=True)
            del z
            wn = wavenumbers(space)
            idx = np.searchsorted(edges, wn.ravel(), side="right") - 1
            assert np.array_equal(np.bincount(idx, minlength=4), counts.numpy()), sname
            near = np.zeros(wn.size, dtype=bool)
            for e in edges[1:3]:
                ulp = np.spacing(e)
                near |= np.abs(wn.ravel().astype(np.float64) - float(e)) <= 2 * ulp
            pos = np.flatnonzero(near)
            kint = np.stack([np.rint(np.fft.fftfreq(n) * n).astype(np.int32)[ii] for n, ii in
                             zip(space, np.unravel_index(pos, space))], axis=-1) \
                if len(pos) else np.zeros((0, nd), dtype=np.int32)
            s = new_group(sb, sname)
            s.attrs["spatial_resolution"] = np.array(space, dtype=np.int64)
            s.attrs["n_spatial_dims"] = nd
            put(s, "bin_edges", edges)
            put(s, "counts", counts.numpy().astype(np.int64))
            put(s, "near_edge_k", kint.reshape(-1, nd).astype(np.int32))
            put(s, "near_edge_wn", wn.ravel()[pos])
            put(s, "near_edge_bin", idx[pos].astype(np.int8))

        # the trainer's aggregation, through its own validation_loop
        xa, ya = make_aggregation()
        C = xa.shape[-1]
        meta = meta_for("gavel_golden_agg", AGG_SPACE, AGG_B * AGG_BATCHES, AGG_T, AGG_FIELDS)
        trainer = training.Trainer.__new__(training.Trainer)
        trainer.model = torch.nn.Identity()
        trainer.device = torch.device("cpu")
        trainer.enable_amp = False
        trainer.amp_type = torch.float16
        trainer.dset_metadata = meta
        trainer.loss_fn = M.MSE()
        trainer.validation_suite = M.validation_metric_suite + [trainer.loss_fn]
        trainer.num_time_intervals = AGG_NUM_TIME_INTERVALS
        trainer.short_validation_length = AGG_SHORT_VALIDATION_LENGTH
        trainer.is_distributed = False
        trainer.make_rollout_videos = False
        trainer.viz_folder = None
        trainer.formatter = None
        trainer.rollout_model = lambda model, batch, formatter, train=True: (batch[0], batch[1])
        training.validation_plots = []  # plots only; they would write image files
        training.plot_all_time_metrics = lambda *a, **k: None
        loader = [(torch.from_numpy(xa[i]), torch.from_numpy(ya[i])) for i in range(AGG_BATCHES)]
        val_loss, logs = trainer.validation_loop(loader, "valid", full=True)
        names = sorted(k for k in logs if k != "param_norm")
        values = np.array([logs[k] for k in names], dtype=np.float64)
        # check the description in tools/the-well-semantics.md §5 (aggregation)
        fields = flatten_field_names(meta, include_constants=False)
        per_batch = [port_well(xa[i], ya[i], len(AGG_SPACE)) for i in range(AGG_BATCHES)]
        bounds = [0] + [int(np.exp(v)) for v in
                        np.linspace(0, np.log(AGG_T), min(AGG_T, AGG_NUM_TIME_INTERVALS))]
        expect = {}
        keys = ["RMSE", "NRMSE", "LInfinity", "VRMSE", "PearsonR", "MSE"] + SPECTRAL_KEYS
        for k in keys:
            tc = [pb[k].mean(0) for pb in per_batch]  # [T, C] per batch: mean over the batch
            for ci, fname in enumerate(fields + ["full"]):
                series = [a[:, ci] if fname != "full" else a.mean(1) for a in tc]
                expect[f"valid_gavel_golden_agg/{fname}_{k}_T=all"] = np.mean([s.mean() for s in series])
                for lo, hi in zip(bounds[:-1], bounds[1:]):
                    with np.errstate(invalid="ignore"):
                        w = np.mean([s[lo:hi].mean() if hi > lo else np.nan for s in series])
                    expect[f"valid_gavel_golden_agg/{fname}_{k}_T={lo}:{hi}"] = w
        assert sorted(expect) == names, (sorted(set(expect) ^ set(names)))
        close(values, np.array([expect[k] for k in names]), 2e-5, "aggregation")
        ag = new_group(g, "aggregation")
        ag.attrs["dataset_name"] = meta.dataset_name
        ag.attrs["field_names"] = np.array(fields, dtype=STR)
        ag.attrs["n_spatial_dims"] = len(AGG_SPACE)
        ag.attrs["num_time_intervals"] = AGG_NUM_TIME_INTERVALS
        ag.attrs["short_validation_length"] = AGG_SHORT_VALIDATION_LENGTH
        ag.attrs["full"] = 1
        ag.attrs["loss_fn"] = "MSE"
        ag.attrs["validation_suite"] = np.array(
            [type(m).__name__ for m in trainer.validation_suite], dtype=STR)
        ag.attrs["time_boundaries"] = np.array(bounds, dtype=np.int64)
        ag.attrs["validation_loss"] = float(val_loss)
        put(ag, "x", xa)
        put(ag, "y", ya)
        put(ag, "names", np.array(names, dtype=STR))
        put(ag, "values", values)
    print(f"wrote {out_path} ({out_path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
