#!/usr/bin/env python3
"""The 3-D probe of the engine issue, as a benchmark: a one-step `gavel eval` window of the_well's
published 3-D models on an MHD-like 64³ periodic dataset with the octahedral group O_h (48
elements), under `--memory` budgets, next to PyTorch doing the same chunked averaged evaluation
with the_well's own model classes in the same run. See bench/README.md.

    OMP_NUM_THREADS=2 ~/.cache/gavel/venv-reference/bin/python tools/bench_eval_3d.py \
        --gavel build/default/bin/gavel --model FNO --memory 4GB,8GB --threads 2

Steps:
1. Writes a Well-format dataset (h5py): 64³ (--size) periodic cube, one trajectory of 5 steps,
   `density` (scalar), `magnetic_field` (axial vector, marked pseudo) and `velocity` (vector):
   4 input steps × 7 channels = 28 input channels, 7 output channels, like MHD_64. Fields are
   smooth random (a few Fourier modes), seeded.
2. Builds the_well 1.2.0's FNO (modes 16³, hidden 128: 302 M parameters) or UNetClassic (48
   features) for 28 → 7 channels with its default random initialisation (seeded) and writes it
   with `save_pretrained`.
3. For each budget: runs `gavel eval --memory M --max-samples 1 --batch 1 --rollout 0
   --defect-samples 1 --normalization none` as a child process and reads its report: wall time,
   peak RSS (`cost.memory.peak_resident_bytes`, the process's VmHWM), the plan (elements per model
   call), baseline/averaged VRMSE and the averaged model's defect.
4. Then, in a child Python process per budget (its own VmHWM): the same work in PyTorch — the 48
   signed permutations applied with permute/flip and ρ(g) on the vector channels (the magnetic
   field times det R), model calls of the same number of elements as gavel's plan, each output
   mapped back and summed; the baseline is the identity's copy; VRMSE (the_well's definition:
   sqrt(mean((x−y)²) / (var(y) + 1e-7)) per channel, mean over channels); and the averaged
   model's defect on as many elements as gavel checked (its generators), each a full averaged
   evaluation of g·x. `torch.inference_mode()`, `torch.set_num_threads(--threads)`.
Prints one markdown row per (side, budget) and fails (exit 1) when gavel's averaged VRMSE
differs from torch's by more than --tolerance (relative), i.e. when the two did not do the same
evaluation.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

from bench_eval_common import FieldLayout, TorchAction, inverse, peak_rss_bytes, signed_permutations

MIB = 1024 * 1024


def write_dataset(folder, size, steps, seed):
    import h5py

    rng = np.random.default_rng(seed)
    n = size
    k = np.fft.fftfreq(n) * n
    kx, ky, kz = np.meshgrid(k, k, k, indexing="ij")
    envelope = np.exp(-(kx**2 + ky**2 + kz**2) / 18.0)

    def smooth(shape):
        noise = rng.standard_normal(shape + (n, n, n)) + 1j * rng.standard_normal(shape + (n, n, n))
        return np.fft.ifftn(noise * envelope, axes=(-3, -2, -1)).real.astype(np.float32) * n**1.5 / 4

    path = os.path.join(folder, "data", "test")
    os.makedirs(path, exist_ok=True)
    with h5py.File(os.path.join(path, "mhd_like_test.hdf5"), "w") as f:
        dims = ["x", "y", "z"]
        f.attrs["dataset_name"] = "mhd_like"
        f.attrs["grid_type"] = "cartesian"
        f.attrs["n_spatial_dims"] = 3
        f.attrs["n_trajectories"] = 1
        f.attrs["simulation_parameters"] = []
        d = f.create_group("dimensions")
        d.attrs["spatial_dims"] = dims
        t = d.create_dataset("time", data=np.linspace(0, 1, steps, dtype=np.float32))
        t.attrs["sample_varying"] = False
        for axis in dims:
            c = d.create_dataset(axis, data=(np.arange(n, dtype=np.float32) + 0.5) / n)
            c.attrs["sample_varying"] = False
            c.attrs["time_varying"] = False
        f.create_group("scalars").attrs["field_names"] = []
        for order in range(3):
            f.create_group(f"t{order}_fields").attrs["field_names"] = []
        for order, name, components, pseudo in [(0, "density", (), False), (1, "magnetic_field", (3,), True),
                                                (1, "velocity", (3,), False)]:
            values = smooth((1, steps) + components)
            if components:  # (1, T, 3, X, Y, Z) -> (1, T, X, Y, Z, 3)
                values = np.moveaxis(values, 2, -1)
            else:
                values = values + 2.0
            group = f[f"t{order}_fields"]
            ds = group.create_dataset(name, data=np.ascontiguousarray(values))
            ds.attrs["time_varying"] = True
            ds.attrs["sample_varying"] = True
            ds.attrs["dim_varying"] = np.array([True] * 3)
            if pseudo:
                ds.attrs["gavel_parity"] = "pseudo"
            group.attrs["field_names"] = list(group.attrs["field_names"]) + [name]
        bcs = f.create_group("boundary_conditions")
        for axis in dims:
            g = bcs.create_group(f"{axis}_periodic")
            g.attrs["bc_type"] = "PERIODIC"
            g.attrs["associated_dims"] = [axis]
            g.attrs["associated_fields"] = []
            g.attrs["sample_varying"] = False
            g.attrs["time_varying"] = False
            mask = np.zeros(n, dtype=bool)
            mask[0] = mask[-1] = True
            g.create_dataset("mask", data=mask)
            g.create_dataset("values", data=np.zeros(2, dtype=np.float32))
    return os.path.join(path, "mhd_like_test.hdf5")


PUBLISHED = {
    "FNO": dict(modes1=16, modes2=16, modes3=16, hidden_channels=128),
    "UNetClassic": dict(init_features=48),
}


def build_model(arch, size, seed):
    import torch
    from the_well.benchmark import models as well_models

    torch.manual_seed(seed)
    return getattr(well_models, arch)(dim_in=28, dim_out=7, n_spatial_dims=3, spatial_resolution=[size] * 3,
                                      **PUBLISHED[arch]).eval()


def run_gavel(args, model_dir, data, budget, work):
    out = os.path.join(work, f"report-{budget}")
    cmd = [args.gavel, "eval", "-q", "--model", model_dir, "--data", data, "--split", "test", "--max-samples", "1",
           "--batch", "1", "--rollout", "0", "--defect-samples", "1", "--normalization", "none", "--n-steps-input", "4",
           "--bootstrap", "100",
           "--memory", budget, "--out", out]
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), OMP_PROC_BIND="spread", OMP_PLACES="threads")
    start = time.perf_counter()
    run = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    # Exit 1 with "correctness check failed" still writes the report: the averaged model's defect
    # above 1e-6, which float32 rounding in a deep random-weight network can reach; it is shown.
    checked_only = run.returncode == 1 and "correctness check failed" in run.stderr
    if run.returncode != 0 and not checked_only:
        raise RuntimeError(f"gavel eval failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
    result = read_report(out)
    result["wall"] = wall
    return result


def read_report(out):
    with open(os.path.join(out, "report.json")) as f:
        report = json.load(f)
    memory = report["cost"]["memory"]
    return {
        "peak_rss": memory["peak_resident_bytes"],
        "planned": memory["one_step"]["planned_bytes"],
        "per_call": memory["one_step"]["elements_per_model_call"],
        "calls": memory["one_step"]["model_calls_per_batch"],
        "baseline": report["one_step"]["baseline"]["VRMSE"],
        "averaged": report["one_step"]["averaged"]["VRMSE"],
        "defect": report["equivariance_defect"]["averaged"]["max"],
        "checked": len(report["equivariance_defect"]["averaged"]["per_element"]),
        "model_seconds": report["cost"]["model_seconds"],
        "averaged_seconds": report["cost"]["averaged_seconds"],
    }


def torch_child(args):
    """The chunked averaged evaluation in PyTorch; prints one JSON line."""
    import h5py
    import torch

    warnings.filterwarnings("ignore")
    torch.set_num_threads(args.threads)
    from the_well.benchmark import models as well_models

    model = well_models.FNO if args.model == "FNO" else well_models.UNetClassic
    model = model.from_pretrained(args.model_dir).eval()
    with h5py.File(args.data_file) as f:
        density = f["t0_fields/density"][0]  # (T, X, Y, Z)
        magnetic = np.moveaxis(f["t1_fields/magnetic_field"][0], -1, 1)  # (T, 3, X, Y, Z)
        velocity = np.moveaxis(f["t1_fields/velocity"][0], -1, 1)
    steps = np.concatenate([density[:, None], magnetic, velocity], axis=1)  # (T, 7, X, Y, Z)
    x = torch.from_numpy(np.ascontiguousarray(steps[:4].reshape(1, 28, *steps.shape[2:])))
    target = torch.from_numpy(np.ascontiguousarray(steps[4:5]))  # (1, 7, X, Y, Z)

    # density, magnetic field (axial), velocity: 7 channels per step
    layout = FieldLayout(3, [("density", 0, "scalar", False), ("magnetic_field", 1, "vector", True),
                             ("velocity", 4, "vector", False)])

    def vrmse(pred, ref):
        mse = ((pred - ref) ** 2).mean(dim=(-3, -2, -1))
        var = ref.var(dim=(-3, -2, -1), unbiased=True)
        return torch.sqrt(mse / (var + 1e-7)).mean().item()

    elements = signed_permutations(3)
    act = TorchAction(layout, elements)
    per_call = args.per_call

    def averaged(inputs, per_element=None):
        total = torch.zeros_like(target)
        for first in range(0, len(elements), per_call):
            chunk = elements[first:first + per_call]
            ys = model(torch.cat([act(g, inputs) for g in chunk]))
            for i, g in enumerate(chunk):
                back = act(inverse(g), ys[i:i + 1])
                if per_element is not None:
                    per_element.append(back)
                total += back
        return total / len(elements)

    start = time.perf_counter()
    with torch.inference_mode():
        backs = []
        fx = averaged(x, backs)
        baseline = backs[0]
        scores = [vrmse(b, target) for b in backs]  # per element, as gavel's per-element table
        averaged_wall = time.perf_counter() - start
        defect = float("nan")
        for g in elements[1:1 + args.checked]:
            defect = 0.0 if defect != defect else defect
            gx = averaged(act(g, x))
            back = act(inverse(g), gx)
            defect = max(defect, (torch.linalg.vector_norm(back - fx) / torch.linalg.vector_norm(fx)).item())
    wall = time.perf_counter() - start
    rss = peak_rss_bytes()
    print(json.dumps({"wall": wall, "averaged_wall": averaged_wall, "peak_rss": rss, "baseline": vrmse(baseline, target),
                      "averaged": vrmse(fx, target), "defect": defect, "elements_scored": len(scores)}))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--gavel", help="path of build/<preset>/bin/gavel")
    p.add_argument("--model", choices=sorted(PUBLISHED), default="FNO")
    p.add_argument("--memory", default="4GB,8GB", help="budgets, comma-separated")
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=20261202)
    p.add_argument("--tolerance", type=float, default=1e-4, help="relative VRMSE difference accepted")
    p.add_argument("--workdir", default=None)
    p.add_argument("--skip-torch", action="store_true", help="gavel only")
    p.add_argument("--skip-gavel", action="store_true", help="torch only, with the chunking of an earlier gavel "
                   "run's report in --workdir")
    p.add_argument("--torch-averaged-only", action="store_true",
                   help="torch runs the averaged call only (48 copies, per-element scores), not the defect check; "
                   "compared with gavel's cost.averaged_seconds")
    # the child process's arguments
    p.add_argument("--torch-child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--model-dir", help=argparse.SUPPRESS)
    p.add_argument("--data-file", help=argparse.SUPPRESS)
    p.add_argument("--per-call", type=int, help=argparse.SUPPRESS)
    p.add_argument("--checked", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.torch_child:
        torch_child(args)
        return 0
    if not args.gavel:
        p.error("--gavel is required")

    work = args.workdir or tempfile.mkdtemp(prefix="gavel-bench-eval-3d-")
    os.makedirs(work, exist_ok=True)
    try:
        data = os.path.join(work, "mhd_like")
        data_file = write_dataset(data, args.size, 5, args.seed)
        model_dir = os.path.join(work, args.model.lower() + "3d")
        if not os.path.exists(os.path.join(model_dir, "model.safetensors")):
            model = build_model(args.model, args.size, args.seed)
            model.save_pretrained(model_dir)
            params = sum(t.numel() for t in model.parameters())
            del model
        else:
            params = None
        print(f"{args.model} 3-D, {args.size}³, 28 → 7 channels"
              + (f", {params / 1e6:.1f} M parameters" if params else "") + f", O_h, {args.threads} threads",
              flush=True)
        failed = False
        for budget in args.memory.split(","):
            if args.skip_gavel:
                g = read_report(os.path.join(work, f"report-{budget}"))
                g["wall"] = float("nan")
            else:
                g = run_gavel(args, model_dir, data, budget, work)
            print(f"ROW | gavel | {args.model} | {budget} | {g['per_call']} × {g['calls']} | {g['wall']:.1f} s | "
                  f"{g['peak_rss'] / MIB:.0f} MiB | {g['planned'] / MIB:.0f} MiB | {g['baseline']:.6g} | "
                  f"{g['averaged']:.6g} | {g['defect']:.2e} |", flush=True)
            if args.skip_torch:
                continue
            child = subprocess.run(
                [sys.executable, __file__, "--torch-child", "--model", args.model, "--model-dir", model_dir,
                 "--data-file", data_file, "--per-call", str(g["per_call"]),
                 "--checked", str(0 if args.torch_averaged_only else g["checked"]),
                 "--threads", str(args.threads)],
                capture_output=True, text=True)
            if child.returncode != 0:
                raise RuntimeError(f"torch child failed:\n{child.stderr}")
            t = json.loads(child.stdout.strip().splitlines()[-1])
            print(f"ROW | PyTorch | {args.model} | (same chunks) | {g['per_call']} × {g['calls']} | {t['wall']:.1f} s | "
                  f"{t['peak_rss'] / MIB:.0f} MiB | – | {t['baseline']:.6g} | {t['averaged']:.6g} | "
                  f"{t['defect']:.2e} |", flush=True)
            difference = abs(g["averaged"] - t["averaged"]) / abs(t["averaged"])
            print(f"  averaged VRMSE gavel vs torch: relative difference {difference:.2e}; "
                  f"wall time torch / gavel {t['wall'] / g['wall']:.2f}×; averaged call (48 copies + per-element "
                  f"scores): gavel {g['averaged_seconds']:.1f} s, torch {t['averaged_wall']:.1f} s, "
                  f"{t['averaged_wall'] / g['averaged_seconds']:.2f}×", flush=True)
            failed = failed or not difference <= args.tolerance
        return 1 if failed else 0
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
