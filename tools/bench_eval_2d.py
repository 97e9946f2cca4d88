#!/usr/bin/env python3
"""The 2-D benchmark of issue 14: samples/s of a whole one-step `gavel eval` (baseline, D4 average,
the_well's metrics) of the_well's FNO and UNetClassic at 128², against a PyTorch pipeline doing the
same work with the_well's own classes, in interleaved pairs of fresh processes. See bench/README.md
("bench_eval_2d").

    ~/.cache/gavel/venv-reference/bin/python tools/bench_eval_2d.py \
        --gavel build/default/bin/gavel --models FNO,UNetClassic --windows 32 --pairs 3 --threads 2

Steps:
1. Data: `gavel generate --size 128 --trajectories 1,0,T --steps 20` (incompressible Navier–Stokes
   on a periodic square, like the bundled navier_stokes_2d: `vorticity`, a pseudo scalar, and
   `velocity`, a vector; 4 input steps × 3 channels = 12 in, 3 out), T test trajectories of 16
   one-step windows each, enough for --windows.
2. Models: the_well 1.2.0's FNO (modes 16×16, hidden 128) and UNetClassic (48 features) for
   12 → 3 channels, seeded random weights (tools/bench_forward_torch.py's build(): the UNet's
   BatchNorm statistics re-drawn), written with `save_pretrained`; both sides load that folder.
3. gavel: `gavel eval --group D4 --rollout 0 --max-samples N --batch B --memory M --defect-samples 1
   --normalization none` in a fresh process, OMP_NUM_THREADS=--threads (OMP_PROC_BIND=spread,
   OMP_PLACES=threads). Its time is the one-step loop's wall time as gavel's own progress line
   prints it ("one-step: N/N (100%), X s elapsed": from the first window read to the last
   window's metrics, after the checkpoint is loaded and before the report is assembled); the
   process's wall time and the report's `cost` block (model time, transform time) are recorded
   beside it.
4. PyTorch, in a fresh Python process per run: the same work with the_well's classes —
   `WellDataset(use_normalization=False)` items and `DefaultChannelsFirstFormatter`, batches of the
   windows gavel's plan used (`cost.memory.one_step.windows_per_batch`), the 8 D4 copies
   (axes permuted/flipped, ρ(g) on the velocity, det on the pseudo-scalar vorticity) in model
   calls of gavel's `elements_per_model_call`, each output mapped back with g⁻¹; the baseline is
   the identity's copy; per element its VRMSE and its defect against the baseline (relative L2
   per field), as gavel's per-element table; the_well's MSE, MAE, NMAE, RMSE, NMSE, NRMSE, VMSE,
   VRMSE, LInfinity, PearsonR and binned_spectral_mse (MSE and NMSE per bin) of the baseline and
   the average; the averaged model's own defect on the first window for gavel's two generators
   (2 × 8 more model copies). `torch.inference_mode()`, `torch.set_num_threads(--threads)`. Its
   time is the same loop (first window read to last metric), after `from_pretrained` and the
   imports; the process's wall time is recorded beside it.
   Not on the PyTorch side (the_well has no functions for them): gavel's PDEBench cRMSE / bRMSE /
   fRMSE per window, its report's bootstrap intervals and figures; they run inside gavel's loop
   (PDEBench) or after it (bootstrap, report files), so gavel's loop does slightly more work.
5. Pairs gavel, torch, gavel, torch, … (--pairs per model); after every torch run its baseline and
   averaged VRMSE must equal gavel's report's within --tolerance (relative), or the run stops
   with exit 1 (the two did not do the same evaluation); every other metric is compared too and
   its largest relative difference printed.
Prints per model a markdown table: samples/s (windows / loop seconds) median, min and max on each
side, the ratio of the medians and the per-pair ratios, where the loop time goes (model calls
against the rest) and the process wall times.
"""
import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

from bench_eval_common import FieldLayout, TorchAction, inverse, parse_notation, peak_rss_bytes, signed_permutations

# The CPUs this process may use, read before anything starts an OpenMP runtime: with
# OMP_PROC_BIND set, torch's runtime pins the main thread to one core, and children inherit it.
CPUS = os.sched_getaffinity(0)
MIB = 1024 * 1024
SIZE = 128
STEPS = 20  # saved steps per trajectory: STEPS − 4 one-step windows with 4 input steps
N_STEPS_INPUT = 4
SPATIAL = ["MSE", "MAE", "NMAE", "RMSE", "NMSE", "NRMSE", "VMSE", "VRMSE", "LInfinity", "PearsonR"]


def child_env(threads):
    return dict(os.environ, OMP_NUM_THREADS=str(threads), OMP_PROC_BIND="spread", OMP_PLACES="threads")


def run_child(cmd, threads):
    """Runs a child on all of this process's CPUs; returns (CompletedProcess, wall s, CPU s)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run(cmd, env=child_env(threads), capture_output=True, text=True,
                         preexec_fn=lambda: os.sched_setaffinity(0, CPUS))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return run, wall, cpu


def make_dataset(args, work):
    folder = os.path.join(work, f"navier_stokes_2d_{SIZE}")
    trajectories = -(-args.windows // (STEPS - N_STEPS_INPUT))
    marker = os.path.join(folder, f".bench-{trajectories}")
    if os.path.exists(marker):
        return folder
    cmd = [args.gavel, "generate", "--out", folder, "--size", str(SIZE), "--trajectories", f"1,0,{trajectories}",
           "--steps", str(STEPS), "--seed", str(args.seed % 100000), "--overwrite"]
    run, wall, _ = run_child(cmd, args.threads)
    if run.returncode != 0:
        raise RuntimeError(f"gavel generate failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
    print(f"data: {' '.join(cmd)} ({wall:.1f} s)", flush=True)
    open(marker, "w").close()
    return folder


def make_model(arch, work, seed):
    folder = os.path.join(work, arch.lower())
    if not os.path.exists(os.path.join(folder, "model.safetensors")):
        # tools/bench_forward_torch.py's build(): the_well's class at its published size, seeded
        from bench_forward_torch import build

        model = build(arch, SIZE, N_STEPS_INPUT * 3, 3, seed)
        model.save_pretrained(folder)
        params = sum(t.numel() for t in model.parameters())
        print(f"model: {arch} {params / 1e6:.1f} M parameters → {folder}", flush=True)
    return folder


def run_gavel(args, model_dir, data, out):
    cmd = [args.gavel, "eval", "--model", model_dir, "--data", data, "--split", "test", "--group", "D4",
           "--rollout", "0", "--max-samples", str(args.windows), "--batch", str(args.batch), "--memory", args.memory,
           "--defect-samples", "1", "--normalization", "none", "--n-steps-input", str(N_STEPS_INPUT), "--out", out]
    run, wall, cpu = run_child(cmd, args.threads)
    # Exit 1 with "correctness check failed" still writes the report (the averaged model's defect
    # above 1e-6, which float32 rounding of a random-weight model can reach): shown, not fatal.
    checked_only = run.returncode == 1 and "correctness check failed" in run.stderr
    if run.returncode != 0 and not checked_only:
        raise RuntimeError(f"gavel eval failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
    matches = re.findall(r"one-step: (\d+)/(\d+) \(100%\), ([0-9.]+)s elapsed", run.stderr)
    if not matches:
        raise RuntimeError(f"no one-step progress line in gavel's stderr:\n{run.stderr}")
    done, total, loop_seconds = matches[-1]
    with open(os.path.join(out, "report.json")) as f:
        report = json.load(f)
    if report["group"]["order"] != 8 or int(done) != args.windows or report["one_step"]["samples"] != args.windows:
        raise RuntimeError(f"gavel evaluated {done}/{total} windows with a group of order {report['group']['order']}, "
                           f"not {args.windows} windows with D4")
    cost = report["cost"]
    plan = cost["memory"]["one_step"]
    return {"loop": float(loop_seconds), "wall": wall, "cpu": cpu, "report": report,
            "model_seconds": cost["model_seconds"], "averaged_seconds": cost["averaged_seconds"],
            "transform_seconds": cost["transform_seconds"], "per_batch": plan["windows_per_batch"],
            "per_call": plan["elements_per_model_call"], "peak_rss": cost["memory"]["peak_resident_bytes"],
            "passed": report["equivariance_defect"]["passed"],
            "averaged_defect": report["equivariance_defect"]["averaged"]["max"], "stderr": run.stderr}


def gavel_numbers(report):
    """The numbers of gavel's report that the PyTorch side computes too."""
    one = report["one_step"]
    out = {}
    for mode in ("baseline", "averaged"):
        for name, value in one[mode]["metrics"].items():
            if name in SPATIAL or name.startswith("binned_spectral_"):
                out[f"{mode}.{name}"] = value
        out[f"{mode}.VRMSE"] = one[mode]["VRMSE"]
    out["per_element.VRMSE_mean"] = statistics.fmean(e["VRMSE"] for e in report["per_element"])
    out["defect.baseline_mean"] = report["equivariance_defect"]["baseline"]["mean"]
    return out


def generators(report):
    """gavel's generators as signed permutations (the manifest lists every element's notation)."""
    notation = dict(zip(report["group"]["elements"], report["manifest"]["group_elements"]))
    return [notation[g] for g in report["group"]["generators"]]


# --------------------------------------------------------------------------------------------
# The PyTorch side (child process)


def torch_child(args):
    """One-step evaluation of `--model-dir` on the first --windows test windows; prints one JSON line."""
    import h5py
    import torch

    warnings.filterwarnings("ignore")  # wandb/timm/neuralop import-time deprecation noise
    torch.set_num_threads(args.threads)
    from the_well.benchmark import metrics as well_metrics
    from the_well.benchmark import models as well_models
    from the_well.data import WellDataset
    from the_well.data.data_formatter import DefaultChannelsFirstFormatter

    model = getattr(well_models, args.model).from_pretrained(args.model_dir).eval()
    ds = WellDataset(path=args.data, well_split_name="test", n_steps_input=N_STEPS_INPUT, n_steps_output=1,
                     use_normalization=False)
    meta = ds.metadata
    formatter = DefaultChannelsFirstFormatter(meta)
    # the_well's flattened channel order: t0 fields, then t1 fields with components x, y (its
    # metadata lists the components, the file the fields); parity from gavel's `gavel_parity`
    # attribute, which the_well's metadata does not carry
    test_dir = os.path.join(args.data, "data", "test")
    fields, first = [], 0
    with h5py.File(os.path.join(test_dir, sorted(os.listdir(test_dir))[0])) as f:
        if list(f["t2_fields"].attrs["field_names"]) or meta.n_constant_fields:
            raise RuntimeError("tensor and constant fields are not handled here")
        for group, kind in (("t0_fields", "scalar"), ("t1_fields", "vector")):
            for name in f[group].attrs["field_names"]:
                pseudo = f[group][name].attrs.get("gavel_parity", "") == "pseudo"
                fields.append((str(name), first, kind, pseudo))
                first += 1 if kind == "scalar" else 2
    if first != meta.n_fields:
        raise RuntimeError(f"{first} channels per step from the file, {meta.n_fields} in the_well's metadata")
    layout = FieldLayout(2, fields)
    elements = signed_permutations(2)
    act = TorchAction(layout, elements)
    checked = [parse_notation(g) for g in args.defect_elements.split(";")]
    spatial = [getattr(well_metrics, name)() for name in SPATIAL]
    spectral = well_metrics.binned_spectral_mse()
    to_cl = formatter.process_output_channel_last
    expand = formatter.process_output_expand_time
    model_seconds = [0.0]
    model_samples = [0]

    def call(inputs):
        start = time.perf_counter()
        out = model(inputs)
        model_seconds[0] += time.perf_counter() - start
        model_samples[0] += inputs.shape[0]
        return out

    def rel_l2_per_field(a, b):
        """||a − b|| / ||b|| per sample and field on (n, C, H, W): (n, fields)."""
        cols = []
        for _, first, count in layout.field_ranges():
            d = torch.linalg.vector_norm((a - b)[:, first:first + count].flatten(1), dim=1)
            cols.append(d / torch.linalg.vector_norm(b[:, first:first + count].flatten(1), dim=1))
        return torch.stack(cols, dim=1)

    def averaged(x, consume=None):
        """1/|G| Σ g⁻¹·f(g·x) in calls of args.per_call elements; consume(e, g⁻¹·f(g·x))."""
        n = x.shape[0]
        total = None
        for chunk_start in range(0, len(elements), args.per_call):
            chunk = elements[chunk_start:chunk_start + args.per_call]
            ys = call(torch.cat([act(g, x) for g in chunk]))
            for i, g in enumerate(chunk):
                back = act(inverse(g), ys[i * n:(i + 1) * n])
                if consume is not None:
                    consume(chunk_start + i, back)
                total = back.clone() if total is None else total.add_(back)
        return total / len(elements)

    sums = {}

    def add(key, tensor):  # tensor (n, 1, C): summed over samples, per channel
        sums.setdefault(key, []).append(tensor.reshape(tensor.shape[0], -1).double())

    element_vrmse = [[] for _ in elements]
    baseline_defect = []
    averaged_defect = []
    defect_left = args.defect_samples
    defect_model_seconds = 0.0
    start = time.perf_counter()
    with torch.inference_mode():
        for first in range(0, args.windows, args.per_batch):
            n = min(args.per_batch, args.windows - first)
            batch = torch.utils.data.default_collate([ds[i] for i in range(first, first + n)])
            (x,), y = formatter.process_input(batch)  # x (n, 12, H, W); y (n, 1, H, W, C)
            state = {}

            def consume(e, back):
                if e == 0:
                    state["baseline"] = back
                element_vrmse[e].append(well_metrics.VRMSE.eval(expand(to_cl(back)), y, meta).reshape(n, -1))
                baseline_defect.append(rel_l2_per_field(back, state["baseline"]))

            average = averaged(x, consume)
            for mode, prediction in (("baseline", state["baseline"]), ("averaged", average)):
                pred = expand(to_cl(prediction))
                for name, metric in zip(SPATIAL, spatial):
                    add(f"{mode}.{name}", metric(pred, y, meta))
                for key, value in spectral(pred, y, meta).items():
                    kind, b = re.fullmatch(r"spectral_error_(mse|nmse)_per_bin_(\d+)", key).groups()
                    add(f"{mode}.binned_spectral_{kind}_bin{b}", value)
            if defect_left > 0:
                k = min(n, defect_left)
                before = model_seconds[0]
                for g in checked:
                    back = act(inverse(g), averaged(act(g, x[:k])))
                    averaged_defect.append(rel_l2_per_field(back, average[:k]).max().item())
                defect_model_seconds += model_seconds[0] - before
                defect_left -= k
    loop = time.perf_counter() - start
    numbers = {key: torch.cat(parts).mean().item() for key, parts in sums.items()}
    numbers["per_element.VRMSE_mean"] = statistics.fmean(torch.cat(v).mean().item() for v in element_vrmse)
    numbers["defect.baseline_mean"] = torch.cat(baseline_defect).mean().item()
    # model_seconds: the averaged calls of the evaluation, as gavel's cost.model_seconds (which
    # leaves out the defect check's calls); those are defect_model_seconds
    print(json.dumps({"loop": loop, "model_seconds": model_seconds[0] - defect_model_seconds,
                      "defect_model_seconds": defect_model_seconds, "model_samples": model_samples[0],
                      "averaged_defect": max(averaged_defect) if averaged_defect else float("nan"),
                      "peak_rss": peak_rss_bytes(), "numbers": numbers, "torch": torch.__version__}))


def run_torch(args, model, model_dir, data, g):
    cmd = [sys.executable, os.path.abspath(__file__), "--torch-child", "--models", model, "--model-dir", model_dir,
           "--data", data, "--windows", str(args.windows), "--per-batch", str(g["per_batch"]), "--per-call",
           str(g["per_call"]), "--defect-elements", ";".join(generators(g["report"])), "--threads", str(args.threads)]
    run, wall, cpu = run_child(cmd, args.threads)
    if run.returncode != 0:
        raise RuntimeError(f"torch child failed ({run.returncode}):\n{run.stderr}")
    t = json.loads(run.stdout.strip().splitlines()[-1])
    t.update(wall=wall, cpu=cpu)
    return t


def compare(g, t, tolerance):
    """Largest relative difference of the shared numbers; VRMSE beyond tolerance is an error."""
    mine = gavel_numbers(g["report"])
    worst, worst_key, failures = 0.0, None, []
    for key, theirs in t["numbers"].items():
        if key not in mine or mine[key] is None:
            failures.append(f"{key}: not in gavel's report")
            continue
        d = abs(mine[key] - theirs) / max(abs(theirs), 1e-30)
        if d > worst:
            worst, worst_key = d, key
        if key in ("baseline.VRMSE", "averaged.VRMSE") and not d <= tolerance:
            failures.append(f"{key}: gavel {mine[key]:.8g}, torch {theirs:.8g}, relative difference {d:.2e} > "
                            f"{tolerance:g}")
    return mine, worst, worst_key, failures


def fmt(v, digits=3):
    return f"{v:.{digits}g}"


def table(model, args, gs, ts):
    n = args.windows
    g_rate = [n / r["loop"] for r in gs]
    t_rate = [n / r["loop"] for r in ts]
    ratios = [a / b for a, b in zip(g_rate, t_rate)]
    gm, tm = statistics.median(g_rate), statistics.median(t_rate)
    g_model = statistics.median(r["model_seconds"] for r in gs)
    t_model = statistics.median(r["model_seconds"] for r in ts)
    g_loop = statistics.median(r["loop"] for r in gs)
    t_loop = statistics.median(r["loop"] for r in ts)
    g_transform = statistics.median(r["transform_seconds"] for r in gs)
    lines = [
        f"{model}, 128², 12 → 3 channels, D4, {n} windows, {len(gs)} pairs, {args.threads} threads",
        "",
        "| side | samples/s median | min | max | one-step loop s (median) | model calls s | model share of loop "
        "| process wall s (median) | process CPU / wall | peak RSS |",
        "|---|---|---|---|---|---|---|---|---|---|",
        f"| gavel | {fmt(gm)} | {fmt(min(g_rate))} | {fmt(max(g_rate))} | {g_loop:.1f} | {g_model:.1f} | "
        f"{100 * g_model / g_loop:.0f} % | {statistics.median(r['wall'] for r in gs):.1f} | "
        f"{statistics.median(r['cpu'] / r['wall'] for r in gs):.2f} | {max(r['peak_rss'] for r in gs) / MIB:.0f} MiB |",
        f"| PyTorch | {fmt(tm)} | {fmt(min(t_rate))} | {fmt(max(t_rate))} | {t_loop:.1f} | {t_model:.1f} | "
        f"{100 * t_model / t_loop:.0f} % | {statistics.median(r['wall'] for r in ts):.1f} | "
        f"{statistics.median(r['cpu'] / r['wall'] for r in ts):.2f} | {max(r['peak_rss'] for r in ts) / MIB:.0f} MiB |",
        f"| **gavel / PyTorch** | **{gm / tm:.2f}×** | {min(ratios):.2f}× (pair min) | {max(ratios):.2f}× (pair max) "
        f"| | {t_model / g_model:.2f}× (model, torch / gavel) | | | | |",
        "",
        f"gavel's loop: model calls {g_model:.2f} s (the averaged calls' model time, `cost.model_seconds`), "
        f"transforms {g_transform:.3f} s (`cost.transform_seconds`), everything else {g_loop - g_model - g_transform:.2f} s "
        f"(reading windows, per-element scores and defects, metrics, PDEBench, the defect check's "
        f"{8 * len(generators(gs[0]['report']))} model copies); per-pair ratios: {' '.join(f'{r:.2f}' for r in ratios)}.",
    ]
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--gavel", help="path of build/<preset>/bin/gavel")
    p.add_argument("--models", default="FNO,UNetClassic", help="FNO, UNetClassic or both, comma-separated")
    p.add_argument("--windows", type=int, default=32, help="test windows evaluated (16 per generated trajectory)")
    p.add_argument("--pairs", type=int, default=3, help="(gavel, PyTorch) pairs per model")
    p.add_argument("--batch", type=int, default=8, help="gavel's --batch: windows per averaged call")
    p.add_argument("--memory", default="8GB", help="gavel's --memory (fixed, so that the plan does not depend on "
                   "what else uses memory)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=20261202)
    p.add_argument("--tolerance", type=float, default=1e-4, help="relative VRMSE difference accepted")
    p.add_argument("--workdir", default=None, help="keeps data, checkpoints and reports (default: a temp folder)")
    # the child process's arguments
    p.add_argument("--torch-child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--model-dir", help=argparse.SUPPRESS)
    p.add_argument("--data", help=argparse.SUPPRESS)
    p.add_argument("--per-batch", type=int, help=argparse.SUPPRESS)
    p.add_argument("--per-call", type=int, help=argparse.SUPPRESS)
    p.add_argument("--defect-elements", help=argparse.SUPPRESS)
    p.add_argument("--defect-samples", type=int, default=1, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.torch_child:
        args.model = args.models
        torch_child(args)
        return 0
    if not args.gavel:
        p.error("--gavel is required")
    args.gavel = os.path.abspath(args.gavel)
    models = args.models.split(",")
    for m in models:
        if m not in ("FNO", "UNetClassic"):
            p.error(f"--models: unknown model {m}")

    work = args.workdir or tempfile.mkdtemp(prefix="gavel-bench-eval-2d-")
    os.makedirs(work, exist_ok=True)
    try:
        started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        data = make_dataset(args, work)
        dirs = {m: make_model(m, work, args.seed) for m in models}
        failed = False
        tables = []
        for m in models:
            gs, ts = [], []
            for pair in range(args.pairs):
                g = run_gavel(args, dirs[m], data, os.path.join(work, f"report-{m.lower()}"))
                gs.append(g)
                print(f"  {m} pair {pair}: gavel loop {g['loop']:.1f} s ({args.windows / g['loop']:.3g} samples/s; "
                      f"model {g['model_seconds']:.1f} s, process {g['wall']:.1f} s, CPU/wall "
                      f"{g['cpu'] / g['wall']:.2f}; plan {g['per_batch']} windows × {g['per_call']} elements per call; "
                      f"averaged defect {g['averaged_defect']:.1e}{'' if g['passed'] else ' (above 1e-6: FAILED check)'})",
                      flush=True)
                t = run_torch(args, m, dirs[m], data, g)
                ts.append(t)
                mine, worst, worst_key, failures = compare(g, t, args.tolerance)
                print(f"  {m} pair {pair}: torch loop {t['loop']:.1f} s ({args.windows / t['loop']:.3g} samples/s; "
                      f"model {t['model_seconds']:.1f} s for {t['model_samples']} model samples, process "
                      f"{t['wall']:.1f} s, CPU/wall {t['cpu'] / t['wall']:.2f}; averaged defect "
                      f"{t['averaged_defect']:.1e}); ratio {t['loop'] / g['loop']:.2f}×", flush=True)
                print(f"    VRMSE baseline gavel {mine['baseline.VRMSE']:.7g} torch {t['numbers']['baseline.VRMSE']:.7g}"
                      f" · averaged gavel {mine['averaged.VRMSE']:.7g} torch {t['numbers']['averaged.VRMSE']:.7g}"
                      f" · largest relative difference of {len(t['numbers'])} shared numbers: {worst:.1e}"
                      f" ({worst_key})", flush=True)
                if failures:
                    print("MISMATCH: gavel and PyTorch did not do the same evaluation:\n  " + "\n  ".join(failures),
                          file=sys.stderr, flush=True)
                    failed = True
                    break
            if failed:
                break
            tables.append(table(m, args, gs, ts))
        print(f"\n{started} – {time.strftime('%H:%M UTC', time.gmtime())}, {os.uname().nodename}, "
              f"{len(CPUS)} CPUs, {args.threads} threads, load average at the end "
              f"{' '.join(f'{v:.1f}' for v in os.getloadavg())}\n")
        print("\n\n".join(tables))
        return 1 if failed else 0
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
