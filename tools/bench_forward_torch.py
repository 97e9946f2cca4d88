#!/usr/bin/env python3
"""Forward samples/s of one of The Well's models in PyTorch (CPU) and in gavel, interleaved in one
run. Called once per configuration by bench/run_forward_bench.sh; see bench/README.md.

    OMP_NUM_THREADS=2 ~/.cache/gavel/venv-reference/bin/python tools/bench_forward_torch.py \
        --model FNO --size 128 --dim-in 8 --dim-out 2 --batch 8 --repeats 5 --threads 2 \
        --gavel build/default/bin/bench_forward

Steps: builds the model with the_well 1.2.0's own class (published sizes: FNO modes 16×16,
hidden 128; UNetClassic init_features 48) and its default random initialisation (seeded; the
UNet's BatchNorm running statistics are re-drawn so that folding them matters), `model.eval()`,
`model.save_pretrained(<work>/model)`; draws an N(0, 1) input (B, dim_in, size, size) and writes it
and torch's output on it as raw float32. Starts bench/bench_forward.cpp on that checkpoint and
input (it loads with gavel::surrogates::load_model, runs one forward, reports the relative L2
error against torch's output), warms torch up, then times `--repeats` pairs of one gavel and one
torch forward, alternating which of the two goes first (ABBA…), so load from other processes
falls on both alike. torch: `torch.set_num_threads(--threads)`, `torch.inference_mode()`, wall
time of `model(x)`; gavel: wall time of `forward` + fence; both also the process CPU time (all
threads) of each forward. Prints the timings and one markdown table line, `ROW | model | shape |
batch | repeats | gavel, torch samples/s (wall medians) | ratio | the same per CPU-second | rel L2 |
peak RSS |`.
Fails (exit 1) when the outputs differ by more than --tolerance.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

# The CPUs this process may use, read before torch starts its OpenMP runtime: with OMP_PROC_BIND
# set, that runtime pins this (main) thread to one core, and a child process inherits the pin.
CPUS = os.sched_getaffinity(0)

import numpy as np  # noqa: E402
import torch  # noqa: E402

warnings.filterwarnings("ignore")  # wandb/timm/neuralop import-time deprecation noise

from the_well.benchmark import models as well_models  # noqa: E402

# the_well's published model configs (the_well/benchmark/configs/model/{fno,unet_classic}.yaml)
PUBLISHED = {
    "FNO": dict(modes1=16, modes2=16, hidden_channels=128),
    "UNetClassic": dict(init_features=48),
}


def build(arch, size, dim_in, dim_out, seed):
    torch.manual_seed(seed)
    model = getattr(well_models, arch)(dim_in=dim_in, dim_out=dim_out, n_spatial_dims=2,
                                       spatial_resolution=[size, size], **PUBLISHED[arch])
    gen = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.copy_(0.1 * torch.randn(m.running_mean.shape, generator=gen))
                m.running_var.copy_(0.5 + torch.rand(m.running_var.shape, generator=gen))
    return model.eval()


def peak_rss_kib():
    """VmHWM of this process (unlike ru_maxrss, it restarts at exec, so parent and child differ)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


class Gavel:
    """bench_forward as a child process, one forward per `run`."""

    def __init__(self, binary, model_dir, size, batch, input_path, reference_path):
        self.proc = subprocess.Popen(
            [binary, "--model", model_dir, "--shape", f"{size},{size}", "--batch", str(batch),
             "--input", input_path, "--reference", reference_path],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
            preexec_fn=lambda: os.sched_setaffinity(0, CPUS))  # not torch's pin of this thread
        self.rel_l2 = None
        while True:
            line = self._line()
            if line.startswith("check rel_l2 "):
                self.rel_l2 = float(line.split()[2])
            elif line.startswith("ready"):
                break

    def _line(self):
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"bench_forward ended early (exit {self.proc.wait()})")
        return line.strip()

    def run(self):
        self.proc.stdin.write("run\n")
        self.proc.stdin.flush()
        line = self._line()
        assert line.startswith("time "), line
        return float(line.split()[1]), float(line.split()[2])

    def quit(self):
        self.proc.stdin.write("quit\n")
        self.proc.stdin.flush()
        rss = int(self._line().split()[1])
        self.proc.wait()
        return rss


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", choices=sorted(PUBLISHED), required=True)
    p.add_argument("--size", type=int, required=True, help="grid size × size")
    p.add_argument("--dim-in", type=int, required=True)
    p.add_argument("--dim-out", type=int, required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--repeats", type=int, default=5, help="timed (gavel, torch) pairs")
    p.add_argument("--warmup", type=int, default=1, help="untimed torch forwards after the reference one")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--gavel", required=True, help="path of build/<preset>/bin/bench_forward")
    p.add_argument("--tolerance", type=float, default=1e-5, help="largest relative L2 error accepted")
    p.add_argument("--seed", type=int, default=20261127)
    p.add_argument("--workdir", default=None, help="folder for the checkpoint and raw arrays (default: a temp folder)")
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    work = args.workdir or tempfile.mkdtemp(prefix="gavel-bench-forward-")
    os.makedirs(work, exist_ok=True)
    try:
        model = build(args.model, args.size, args.dim_in, args.dim_out, args.seed)
        model_dir = os.path.join(work, "model")
        model.save_pretrained(model_dir)
        gen = torch.Generator().manual_seed(args.seed + 2)
        x = torch.randn((args.batch, args.dim_in, args.size, args.size), generator=gen)
        input_path = os.path.join(work, "input.f32")
        reference_path = os.path.join(work, "reference.f32")
        x.numpy().tofile(input_path)
        with torch.inference_mode():
            y = model(x)  # the reference output, also torch's first warm-up
            y.numpy().tofile(reference_path)
            del y
            for _ in range(args.warmup):
                model(x)
        gavel = Gavel(args.gavel, model_dir, args.size, args.batch, input_path, reference_path)
        os.remove(input_path)
        os.remove(reference_path)

        t_gavel, t_torch, cpu_gavel, cpu_torch = [], [], [], []

        def gavel_once():
            wall, cpu = gavel.run()
            t_gavel.append(wall)
            cpu_gavel.append(cpu)

        def torch_once():
            with torch.inference_mode():
                cpu_start = time.process_time()
                start = time.perf_counter()
                model(x)
                t_torch.append(time.perf_counter() - start)
                cpu_torch.append(time.process_time() - cpu_start)

        for r in range(args.repeats):
            order = (gavel_once, torch_once)
            for step in (order if r % 2 == 0 else order[::-1]):
                step()
            print(f"  rep {r}: gavel {t_gavel[-1]:.3f} s (CPU {cpu_gavel[-1]:.3f} s), "
                  f"torch {t_torch[-1]:.3f} s (CPU {cpu_torch[-1]:.3f} s)", flush=True)
        rss_gavel = gavel.quit()
        rss_torch = peak_rss_kib()

        g = args.batch / statistics.median(t_gavel)
        t = args.batch / statistics.median(t_torch)
        ratios = [tt / tg for tg, tt in zip(t_gavel, t_torch)]
        shape = f"{args.size}², {args.dim_in}→{args.dim_out}"
        print(f"  gavel s/forward: {' '.join(f'{v:.3f}' for v in t_gavel)}")
        print(f"  torch s/forward: {' '.join(f'{v:.3f}' for v in t_torch)}")
        print(f"  per-pair ratios (torch time / gavel time): {' '.join(f'{v:.2f}' for v in ratios)}; "
              f"median {statistics.median(ratios):.2f}")
        # samples per CPU-second (all threads): less sensitive than wall time to other processes
        # taking a core away, which a shared machine does
        gc = args.batch / statistics.median(cpu_gavel)
        tc = args.batch / statistics.median(cpu_torch)
        print(f"ROW | {args.model} | {shape} | {args.batch} | {args.repeats} | {g:.3g} | {t:.3g} | "
              f"**{g / t:.2f}×** | {gc:.3g} | {tc:.3g} | {gc / tc:.2f}× | {gavel.rel_l2:.1e} | "
              f"{rss_gavel / 1024:.0f} / {rss_torch / 1024:.0f} MiB |", flush=True)
        if not gavel.rel_l2 <= args.tolerance:
            print(f"outputs differ: relative L2 {gavel.rel_l2:.3e} > {args.tolerance}", file=sys.stderr)
            return 1
        return 0
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
