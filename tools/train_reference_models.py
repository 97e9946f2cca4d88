#!/usr/bin/env python3
"""Small pretrained surrogates for the bundled reference dataset: the_well 1.2.0's own `FNO`
(neuraloperator 0.3.0 underneath) and `UNetClassic`, trained on CPU with the_well's recipe scaled
down, WITHOUT symmetry augmentation (so they are not exactly equivariant).

    ~/.cache/gavel/venv-reference/bin/pip install -r tools/requirements-reference.txt
    ~/.cache/gavel/venv-reference/bin/python tools/train_reference_models.py
    # only re-check the saved checkpoints against their training.json:
    ~/.cache/gavel/venv-reference/bin/python tools/train_reference_models.py --verify-only
    # the 3-D case: fno_3d and unet_classic_3d on datasets/reference/navier_stokes_3d
    ~/.cache/gavel/venv-reference/bin/python tools/train_reference_models.py --case navier_stokes_3d

`--case navier_stokes_3d` changes only what CASES lists: the 16^3 dataset (velocity, and the
vorticity as an axial vector), n_steps_input=1 (its trajectories have 5 steps), batch 4, the
models and their epochs, and the group of the equivariance error (all 47 non-identity elements
of O_h, named in gavel's bracket notation). The rest below holds for both cases.

Data: the_well's `WellDataset` on `<dataset>/data/{train,valid,test}` (default
`datasets/reference/navier_stokes_2d`), n_steps_input=4, n_steps_output=1, stride 1, Z-score
normalization from `<dataset>/stats.yaml` (`use_normalization=True,
normalization_type=ZScoreNormalization`, as the 1.2.0 datamodule builds its train set), batches
formatted with `DefaultChannelsFirstFormatter` (model input channel t*C + c, dim_in = 4*C + Cc,
dim_out = C). No augmentation, so every item is deterministic; the items are read once and kept
in memory (the same tensors the dataset returns).

Recipe (the_well's `benchmark/train.py` + `Trainer.train_one_epoch` and its configs
`optimizer/adam.yaml`, `lr_scheduler/cosine_with_warmup.yaml`, `experiment/unet_classic.yaml`):
AdamW (weight decay 1e-5 as in the_well's config), the_well's `MSE` metric on normalized targets
averaged over batch/time/channels as the loss, `LinearWarmupCosineAnnealingLR` stepped once per
epoch with warmup_start_lr = eta_min = lr/10 (train.py's overrides), shuffled batches with
drop_last. Scaled down: batch 8, 100 epochs of 12 steps, lr 1e-3 (the configs' 1e-4/4e-4 are for
batch 64 and hours of GPU training). The last epoch's weights are saved (no best-epoch selection).
Sizes: FNO hidden 16 with modes 8x8 (hidden 32 overfitted the 96 training windows: valid VRMSE
0.167 against 0.084), UNetClassic init_features 8 (16 would be ~7.8 MB).

Evaluation, as the 1.2.0 trainer's validation does it (`rollout_model(train=False)`): raw
(un-normalized) split, inputs normalized with the train set's `normalize_flattened`, prediction
`denormalize_flattened`, metrics in physical units against the raw target with the_well's own
`MSE` and `VRMSE` classes; per field = mean over windows and time, `full` = mean over channels
too. Also recorded: the normalized-space MSE (the training loss on the valid split), the test
split, an autoregressive rollout over each valid trajectory (full_trajectory_mode, 16 steps), the
persistence baseline (next step = last input step) and, for information, the D4 equivariance
error of the trained models (they were not trained to be equivariant; see `equivariance_error`).

Outputs per model, in `<out>/<name>/`: `model.safetensors` + `config.json` from `save_pretrained`
(huggingface_hub's boilerplate README.md removed) and `training.json` (all settings, package
versions, dataset file hashes, per-epoch history, final metrics). After saving, the checkpoint is
re-loaded with `from_pretrained` and must reproduce the recorded metrics.

Deterministic: seeded generators, one torch thread (`--threads`), CPU only. Reruns on the same
machine give the same weights (checked: identical model.safetensors); another CPU or thread count
may change the last bits. One thread, not two: on the shared 2-core machine two threads made an
FNO step 2-40x slower whenever other jobs ran (OpenMP waits), one thread ~0.1 s per step. About
2 min (FNO) and 1 min (UNetClassic) of CPU, plus ~1 min of evaluation and checks.
"""
import argparse
import hashlib
import itertools
import importlib.metadata
import json
import math
import os
import pathlib
import platform
import shutil
import subprocess
import sys
import time
import warnings

warnings.filterwarnings("ignore")  # wandb/timm/neuralop import-time deprecation noise

import torch  # noqa: E402
from the_well.benchmark.metrics import MSE, VRMSE  # noqa: E402
from the_well.benchmark.models import FNO, UNetClassic  # noqa: E402
from the_well.benchmark.optim.schedulers import LinearWarmupCosineAnnealingLR  # noqa: E402
from the_well.data import WellDataset  # noqa: E402
from the_well.data.data_formatter import DefaultChannelsFirstFormatter  # noqa: E402
from the_well.data.normalization import ZScoreNormalization  # noqa: E402
from the_well.data.utils import flatten_field_names  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parent.parent
THREADS = 1  # --threads; 2 threads ran 2-40x slower on the shared 2-core machine
SEED = 20261127
N_STEPS_INPUT = 4
N_STEPS_OUTPUT = 1
BATCH = 8
EVAL_BATCH = 8
WEIGHT_DECAY = 1e-5
WARMUP_EPOCHS = 5
PACKAGES = ["the_well", "neuraloperator", "torch", "numpy", "h5py", "tensorly", "tensorly-torch",
            "opt-einsum", "huggingface_hub", "safetensors", "einops", "PyYAML"]

# name -> (class, model kwargs besides dim_in/dim_out/n_spatial_dims/spatial_resolution,
#          epochs, learning rate)
MODELS = {
    "fno": (FNO, dict(modes1=8, modes2=8, hidden_channels=16), 100, 1e-3),
    "unet_classic": (UNetClassic, dict(init_features=8), 100, 1e-3),
}
# The dataset's fields in the_well's channel order: (name, tensor order, pseudo). the_well's
# metadata records no parity; gavel marks it with the `gavel_parity` attribute (checked on load).
FIELDS = [("vorticity", 0, True), ("velocity", 1, False)]
GROUP = "D4"
CASE_NAME = "navier_stokes_2d"

# --case: the dataset, the window length, the training batch and the models trained on it.
# use_case() sets the module settings above from one entry; navier_stokes_2d is what they
# already hold.
CASES = {
    "navier_stokes_2d": dict(
        dataset="navier_stokes_2d", n_steps_input=4, batch=8, models=MODELS, fields=FIELDS, group="D4"),
    # 16^3, 3 train trajectories of 5 steps: 12 one-step windows (n_steps_input=1), so batch 4
    # (3 steps per epoch) and more epochs. FNO hidden 8 with modes 4^3 (132 KB; modes 6^3
    # overfitted: valid VRMSE 0.67 against 0.44); UNetClassic init_features 3 (0.8 MB; 4 would be
    # 1.4 MB) with lr 3e-3 (1e-3 left it at train loss 0.5 after 200 epochs).
    "navier_stokes_3d": dict(
        dataset="navier_stokes_3d", n_steps_input=1, batch=4,
        models={"fno_3d": (FNO, dict(modes1=4, modes2=4, modes3=4, hidden_channels=8), 300, 1e-3),
                "unet_classic_3d": (UNetClassic, dict(init_features=3), 500, 3e-3)},
        fields=[("velocity", 1, False), ("vorticity", 1, True)], group="Oh"),
}


def use_case(name):
    global N_STEPS_INPUT, BATCH, MODELS, FIELDS, GROUP, CASE_NAME
    case = CASES[name]
    CASE_NAME = name
    N_STEPS_INPUT, BATCH, MODELS = case["n_steps_input"], case["batch"], case["models"]
    FIELDS, GROUP = case["fields"], case["group"]
    return case


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def versions():
    v = {p: importlib.metadata.version(p) for p in PACKAGES}
    v["python"] = platform.python_version()
    return v


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def repo_relative(path):
    """`path` relative to the root of the git work tree that holds it (the same string in every
    worktree of the repository), else the absolute path."""
    path = pathlib.Path(path).resolve()
    try:
        top = subprocess.run(["git", "-C", str(path), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, check=True).stdout.strip()
        return str(path.relative_to(pathlib.Path(top).resolve()))
    except (subprocess.CalledProcessError, ValueError, FileNotFoundError):
        return str(path)


# --------------------------------------------------------------------------------------------
# Data


def well_dataset(root, split, normalized, full_trajectory=False):
    return WellDataset(
        path=str(root), well_split_name=split, n_steps_input=N_STEPS_INPUT,
        n_steps_output=N_STEPS_OUTPUT, use_normalization=normalized,
        normalization_type=ZScoreNormalization if normalized else None,
        full_trajectory_mode=full_trajectory)


class Items(torch.utils.data.Dataset):
    """The items of a WellDataset, read once (no augmentation: they never change)."""

    def __init__(self, ds):
        self.items = [ds[i] for i in range(len(ds))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def batches(items, batch_size):
    return torch.utils.data.DataLoader(items, batch_size=batch_size, shuffle=False, drop_last=False)


class Data:
    def __init__(self, root):
        self.root = pathlib.Path(root)
        self.train_ds = well_dataset(root, "train", normalized=True)
        self.meta = self.train_ds.metadata
        self.norm = self.train_ds.norm  # the trainer's dset_norm: the train set's normalization
        self.formatter = DefaultChannelsFirstFormatter(self.meta)
        self.field_names = flatten_field_names(self.meta, include_constants=False)
        self.train = Items(self.train_ds)
        self.valid_norm = Items(well_dataset(root, "valid", normalized=True))
        self.valid_raw = Items(well_dataset(root, "valid", normalized=False))
        self.test_norm = Items(well_dataset(root, "test", normalized=True))
        self.test_raw = Items(well_dataset(root, "test", normalized=False))
        self.valid_rollout = Items(well_dataset(root, "valid", normalized=False,
                                                full_trajectory=True))
        self.dim_in = N_STEPS_INPUT * self.meta.n_fields + self.meta.n_constant_fields
        self.dim_out = self.meta.n_fields

    def description(self):
        files = sorted(p for p in self.root.rglob("*") if p.is_file()
                       and (p.suffix in (".hdf5", ".h5") or p.name == "stats.yaml"))
        return {
            "path": repo_relative(self.root),
            "name": self.meta.dataset_name,
            "files_sha256": {str(p.relative_to(self.root)): sha256(p) for p in files},
            "stats_yaml_sha256": sha256(self.root / "stats.yaml"),
            "fields": self.field_names,
            "spatial_resolution": list(self.meta.spatial_resolution),
            "n_steps_input": N_STEPS_INPUT,
            "n_steps_output": N_STEPS_OUTPUT,
            "stride": 1,
            "windows": {"train": len(self.train), "valid": len(self.valid_raw),
                        "test": len(self.test_raw)},
            "normalization": "ZScoreNormalization from stats.yaml (mean, std), applied by "
                             "WellDataset(use_normalization=True) on train; on evaluation inputs "
                             "by the train set's normalize_flattened, predictions "
                             "denormalize_flattened",
            "augmentation": None,
        }


# --------------------------------------------------------------------------------------------
# Model evaluation (the 1.2.0 trainer's validation flow)


def predict(model, data, input_fields, constant_fields=None):
    """Raw input window [B, Ti, *space, C] -> one-step prediction [B, 1, *space, C], normalized
    (the model's output) and physical (denormalized)."""
    batch = {"input_fields": data.norm.normalize_flattened(input_fields, "variable"),
             "output_fields": input_fields[:, -1:]}  # unused placeholder for the formatter
    if constant_fields is not None:
        batch["constant_fields"] = data.norm.normalize_flattened(constant_fields, "constant")
    (x,), _ = data.formatter.process_input(batch)
    y = data.formatter.process_output_channel_last(model(x))
    expand = data.formatter.process_output_expand_time
    return expand(y), expand(data.norm.denormalize_flattened(y, "variable"))


def predict_physical(model, data, input_fields, constant_fields=None):
    return predict(model, data, input_fields, constant_fields)[1]


def per_field(values, names):
    """[N, T, C] per-window values -> the_well's `<field>_T=all` and `full_T=all` numbers."""
    m = values.mean(0)  # equal-size batches: the batch-weighted mean is the plain mean
    out = {name: m[:, i].mean().item() for i, name in enumerate(names)}
    out["full"] = m.mean(1).mean().item()
    return out


@torch.inference_mode()
def evaluate(model, data, raw_items, norm_items=None):
    """One-step metrics in physical units on a raw split (the trainer's flow); with
    `norm_items` (the same split read with use_normalization=True) also the training loss there:
    the_well MSE of the model's (normalized) output against the normalized target."""
    model.eval()
    mse, vrmse, mse_norm = [], [], []
    raw_batches = batches(raw_items, EVAL_BATCH)
    norm_batches = batches(norm_items, EVAL_BATCH) if norm_items is not None else raw_batches
    for b, nb in zip(raw_batches, norm_batches, strict=True):
        y_ref = torch.nan_to_num(b["output_fields"])
        y_norm, y = predict(model, data, b["input_fields"], b.get("constant_fields"))
        mse.append(MSE()(y, y_ref, data.meta))
        vrmse.append(VRMSE()(y, y_ref, data.meta))
        if norm_items is not None:
            _, y_norm_ref = data.formatter.process_input(nb)
            mse_norm.append(MSE()(y_norm, y_norm_ref, data.meta))
    out = {"MSE": per_field(torch.cat(mse), data.field_names),
           "VRMSE": per_field(torch.cat(vrmse), data.field_names)}
    if norm_items is not None:
        out["MSE_normalized"] = per_field(torch.cat(mse_norm), data.field_names)
    return out


@torch.inference_mode()
def evaluate_rollout(model, data, items):
    """Autoregressive rollout of every valid trajectory from its first 4 steps (the trainer's
    rollout_model(train=False) on full_trajectory_mode items)."""
    model.eval()
    vrmse = []
    for b in batches(items, EVAL_BATCH):
        window = b["input_fields"]
        y_ref = torch.nan_to_num(b["output_fields"])
        preds = []
        for _ in range(y_ref.shape[1]):
            y = predict_physical(model, data, window, b.get("constant_fields"))
            preds.append(y)
            window = torch.cat([window[:, 1:], y], dim=1)
        vrmse.append(VRMSE()(torch.cat(preds, 1), y_ref, data.meta))
    v = torch.cat(vrmse)  # [N, T, C]
    per_step = v.mean(0).mean(1)  # full (mean over channels) per step
    return {"steps": int(v.shape[1]),
            "VRMSE_full_per_step": [x.item() for x in per_step],
            "VRMSE": per_field(v, data.field_names)}


@torch.inference_mode()
def persistence(data):
    """The trivial baseline: every next step = the last input step (physical units)."""
    out = {}
    for split, items in (("valid", data.valid_raw), ("test", data.test_raw)):
        v = [VRMSE()(b["input_fields"][:, -1:], torch.nan_to_num(b["output_fields"]), data.meta)
             for b in batches(items, EVAL_BATCH)]
        out[split] = {"VRMSE": per_field(torch.cat(v), data.field_names)}
    v = []
    for b in batches(data.valid_rollout, EVAL_BATCH):
        y_ref = torch.nan_to_num(b["output_fields"])
        v.append(VRMSE()(b["input_fields"][:, -1:].expand_as(y_ref), y_ref, data.meta))
    v = torch.cat(v)
    out["valid_rollout"] = {"steps": int(v.shape[1]),
                            "VRMSE_full_per_step": [x.item() for x in v.mean(0).mean(1)],
                            "VRMSE": per_field(v, data.field_names)}
    return out


# --------------------------------------------------------------------------------------------
# D4 equivariance error (information only)


# gavel's element names and order (`gavel group`): R maps (x, y) to ...
D4 = {"identity": ((1, 0), (0, 1)),        # [x,y]
      "rot90": ((0, -1), (1, 0)),          # [-y,x]
      "rot180": ((-1, 0), (0, -1)),        # [-x,-y]
      "rot270": ((0, 1), (-1, 0)),         # [y,-x]
      "flip_x": ((-1, 0), (0, 1)),         # [-x,y]
      "flip_y": ((1, 0), (0, -1)),         # [x,-y]
      "transpose": ((0, 1), (1, 0)),       # [y,x]
      "antitranspose": ((0, -1), (-1, 0))}  # [-y,-x]


def d4():
    """The 8 signed permutation matrices of the square (acting on (x, y))."""
    return [torch.tensor(m, dtype=torch.int64) for m in D4.values()]


def signed_permutations(d):
    """The 2^d d! signed permutation matrices of the d-cube (O_h for d = 3), identity first."""
    out = []
    for perm in itertools.permutations(range(d)):
        for signs in itertools.product((1, -1), repeat=d):
            r = torch.zeros(d, d, dtype=torch.int64)
            for i, j in enumerate(perm):
                r[i, j] = signs[i]
            out.append(r)
    return out


def notation(r):
    """gavel's bracket notation of R: the image of the point (x, y[, z]), e.g. [-y,x]."""
    axes = "xyz"
    parts = []
    for row in r.tolist():
        j = next(k for k, v in enumerate(row) if v != 0)
        parts.append(("-" if row[j] < 0 else "") + axes[j])
    return "[" + ",".join(parts) + "]"


def element_name(r):
    if r.shape[0] == 2:
        return {m: name for name, m in D4.items()}[tuple(map(tuple, r.tolist()))]
    return "identity" if torch.equal(r, torch.eye(r.shape[0], dtype=r.dtype)) else notation(r)


def group_elements(d):
    return d4() if d == 2 else signed_permutations(d)


def field_slices(d):
    """(name, channel slice, pseudo, order) of each field of FIELDS on a d-dimensional grid."""
    out, at = [], 0
    for name, order, pseudo in FIELDS:
        width = d ** order
        out.append((name, slice(at, at + width), pseudo, order))
        at += width
    return out


def act(r, f, field_names):
    """(g.f)(p) = rho(g) f(R^-1 p) on the cell-centred periodic grid; f [..., *space, C] in the
    dataset's channel order (FIELDS: scalars rho = 1, vectors rho = R, pseudo fields also times
    det R)."""
    d = r.shape[0]
    expected = [name if order == 0 else f"{name}_{'xyz'[k]}" for name, order, _ in FIELDS
                for k in range(d ** order)]
    assert field_names == expected, (field_names, expected)
    n = f.shape[-2]
    assert all(s == n for s in f.shape[-1 - d:-1]), f.shape
    c = torch.arange(n, dtype=torch.float64) - (n - 1) / 2
    grid = torch.meshgrid(*([c] * d), indexing="ij")
    rt = r.T.to(torch.float64)  # R^-1 = R^T
    source = [(sum(rt[i, j] * grid[j] for j in range(d)) + (n - 1) / 2).round().long()
              for i in range(d)]
    g = f[(Ellipsis, *source, slice(None))]
    det = int(torch.det(r.double()).round().item())
    rf = r.to(f.dtype)
    parts = []
    for _, sl, pseudo, order in field_slices(d):
        v = g[..., sl] if order == 0 else torch.einsum("ij,...j->...i", rf, g[..., sl])
        parts.append(det * v if pseudo else v)
    return torch.cat(parts, dim=-1)


@torch.inference_mode()
def equivariance_error(model, data, items):
    """Per element of GROUP (D4 or O_h; identity left out) and field, the relative L2 error
    ||F(g.x) - g.F(x)|| / ||g.F(x)|| summed over the whole split (one-step predictions in physical
    units; a vector as one field)."""
    model.eval()
    dims = data.meta.n_spatial_dims
    elements = [r for r in group_elements(dims) if element_name(r) != "identity"]
    fields = field_slices(dims)
    num = torch.zeros(len(elements), len(fields), dtype=torch.float64)
    den = torch.zeros(len(elements), len(fields), dtype=torch.float64)
    for b in batches(items, EVAL_BATCH):
        x = b["input_fields"]
        y = predict_physical(model, data, x)
        for e, r in enumerate(elements):
            gy = act(r, y, data.field_names).double()
            d = predict_physical(model, data, act(r, x, data.field_names)).double() - gy
            for k, (_, sl, _, _) in enumerate(fields):
                num[e, k] += d[..., sl].square().sum()
                den[e, k] += gy[..., sl].square().sum()
    rel = (num / den).sqrt()
    return {element_name(r): {name: rel[e, k].item() for k, (name, _, _, _) in enumerate(fields)}
            for e, r in enumerate(elements)}


def equivariance_definition(data):
    parity = {(0, True): "pseudo-scalar (rho = det R)", (0, False): "scalar (rho = 1)",
              (1, True): "axial vector (rho = det R R)", (1, False): "vector (rho = R)"}
    fields = ", ".join(f"{name} {parity[(order, pseudo)]}" for name, order, pseudo in FIELDS)
    shape = "x".join(str(s) for s in data.meta.spatial_resolution)
    return ("relative L2 ||F(g.x) - g.F(x)|| / ||g.F(x)|| over the valid one-step windows, "
            f"physical units, F = normalize -> model -> denormalize; {fields}, cell-centred "
            f"periodic {shape} grid")


def check_parity(root):
    """FIELDS must say what the data files mark: gavel_parity = "pseudo" exactly on the pseudo
    fields."""
    import h5py
    for path in sorted(pathlib.Path(root).rglob("*.hdf5")):
        with h5py.File(path, "r") as f:
            for name, order, pseudo in FIELDS:
                marked = f[f"t{order}_fields/{name}"].attrs.get("gavel_parity", "polar")
                if isinstance(marked, bytes):
                    marked = marked.decode()
                if (marked == "pseudo") != pseudo:
                    sys.exit(f"{path}: field {name} is marked {marked!r}, the script expects "
                             f"{'pseudo' if pseudo else 'polar'}")


# --------------------------------------------------------------------------------------------
# Training


def build(name, data):
    cls, kwargs, _, _ = MODELS[name]
    return cls(dim_in=data.dim_in, dim_out=data.dim_out, n_spatial_dims=data.meta.n_spatial_dims,
               spatial_resolution=tuple(data.meta.spatial_resolution), **kwargs)


def final_metrics(model, data):
    return {
        "valid": evaluate(model, data, data.valid_raw, data.valid_norm),
        "test": evaluate(model, data, data.test_raw, data.test_norm),
        "valid_rollout": evaluate_rollout(model, data, data.valid_rollout),
    }


def train(name, data, out_dir, epochs_override):
    cls, kwargs, default_epochs, lr = MODELS[name]
    epochs = epochs_override or default_epochs
    torch.manual_seed(SEED)
    model = build(name, data)
    n_params = sum(p.numel() for p in model.parameters())
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=WEIGHT_DECAY)
    scheduler = LinearWarmupCosineAnnealingLR(
        optimizer, warmup_epochs=WARMUP_EPOCHS, max_epochs=epochs, warmup_start_lr=lr * 0.1,
        eta_min=lr * 0.1)
    loader = torch.utils.data.DataLoader(
        data.train, batch_size=BATCH, shuffle=True, drop_last=True,
        generator=torch.Generator().manual_seed(SEED))
    loss_fn = MSE()
    history = []
    print(f"{name}: {cls.__name__} {kwargs}, {n_params} parameters, {epochs} epochs, "
          f"{len(loader)} batches per epoch", flush=True)
    t_start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        t0 = time.perf_counter()
        model.train()
        lr_epoch = optimizer.param_groups[0]["lr"]
        epoch_loss = 0.0
        for batch in loader:
            # Trainer.rollout_model(train=True) with one output step
            (x,), y_ref = data.formatter.process_input(batch)
            y = data.formatter.process_output_expand_time(
                data.formatter.process_output_channel_last(model(x)))
            loss = loss_fn(y, y_ref, data.meta).mean()
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            epoch_loss += loss.item() / len(loader)
        scheduler.step()
        t_train = time.perf_counter() - t0
        valid = evaluate(model, data, data.valid_raw, data.valid_norm)
        valid_loss = valid["MSE_normalized"]["full"]
        valid_vrmse = valid["VRMSE"]["full"]
        history.append({"epoch": epoch, "lr": lr_epoch, "train_loss": epoch_loss,
                        "valid_mse_normalized": valid_loss, "valid_vrmse": valid_vrmse,
                        "train_seconds": round(t_train, 2)})
        print(f"{name} epoch {epoch:3d}/{epochs}  lr {lr_epoch:.2e}  train {epoch_loss:.5f}  "
              f"valid {valid_loss:.5f}  valid VRMSE {valid_vrmse:.4f}  ({t_train:.1f} s)",
              flush=True)
    seconds = time.perf_counter() - t_start

    model.eval()
    metrics = final_metrics(model, data)
    equiv = equivariance_error(model, data, data.valid_raw)

    if out_dir.exists():
        shutil.rmtree(out_dir)
    model.save_pretrained(out_dir)
    (out_dir / "README.md").unlink(missing_ok=True)  # huggingface_hub's boilerplate model card
    record = {
        "model": name,
        "class": f"the_well.benchmark.models.{cls.__name__}",
        "config": json.loads((out_dir / "config.json").read_text()),
        "parameters": n_params,
        "files": {f: {"bytes": (out_dir / f).stat().st_size, "sha256": sha256(out_dir / f)}
                  for f in ("model.safetensors", "config.json")},
        "dataset": data.description(),
        "recipe": {
            "device": "cpu", "torch_threads": torch.get_num_threads(), "seed": SEED,
            "epochs": epochs, "batch_size": BATCH, "shuffle": True, "drop_last": True,
            "batches_per_epoch": len(loader),
            "optimizer": {"class": "torch.optim.AdamW", "lr": lr, "weight_decay": WEIGHT_DECAY,
                          "betas": list(optimizer.defaults["betas"]),
                          "eps": optimizer.defaults["eps"]},
            "lr_scheduler": {"class": "the_well.benchmark.optim.schedulers."
                                      "LinearWarmupCosineAnnealingLR",
                             "warmup_epochs": WARMUP_EPOCHS, "max_epochs": epochs,
                             "warmup_start_lr": lr * 0.1, "eta_min": lr * 0.1,
                             "stepped": "once per epoch"},
            "loss": "the_well.benchmark.metrics.MSE on normalized targets, .mean() over "
                    "batch, time and channels",
            "formatter": "the_well.data.data_formatter.DefaultChannelsFirstFormatter",
            "augmentation": None,
            "amp": False,
            "saved_weights": "last epoch",
        },
        "history": history,
        "training_seconds": round(seconds, 1),  # all epochs, per-epoch validation included
        "cpu": cpu_name(),
        "final": metrics,
        "baseline_persistence": persistence(data),
        "equivariance_error": {
            "definition": equivariance_definition(data),
            GROUP: equiv,
        },
        "versions": versions(),
        "command": "tools/train_reference_models.py"
                   + (f" --case {CASE_NAME}" if CASE_NAME != "navier_stokes_2d" else "")
                   + (f" --epochs {epochs_override}" if epochs_override else ""),
    }
    (out_dir / "training.json").write_text(json.dumps(record, indent=2) + "\n")
    print(f"{name}: {seconds:.0f} s; valid MSE (normalized) "
          f"{metrics['valid']['MSE_normalized']['full']:.5f}, valid VRMSE "
          f"{metrics['valid']['VRMSE']['full']:.4f}", flush=True)
    return record


# --------------------------------------------------------------------------------------------
# Verification


def compare(a, b, path, tol, problems):
    if isinstance(a, dict):
        for k in a:
            compare(a[k], b[k], f"{path}.{k}", tol, problems)
    elif isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            compare(x, y, f"{path}[{i}]", tol, problems)
    elif isinstance(a, float):
        if not math.isclose(a, b, rel_tol=tol, abs_tol=tol * 1e-3):
            problems.append(f"{path}: recorded {a!r}, reloaded {b!r}")
    elif a != b:
        problems.append(f"{path}: recorded {a!r}, reloaded {b!r}")


def verify(name, data, out_dir, tol):
    record = json.loads((out_dir / "training.json").read_text())
    cls = MODELS[name][0]
    present = sorted(p.name for p in out_dir.iterdir())
    problems = []
    if present != ["config.json", "model.safetensors", "training.json"]:
        problems.append(f"files: {present}")
    for f, info in record["files"].items():
        if sha256(out_dir / f) != info["sha256"]:
            problems.append(f"{f}: sha256 differs from training.json")
    files = data.description()["files_sha256"]
    if files != record["dataset"]["files_sha256"]:
        problems.append(f"dataset files differ from those trained on: {files} vs "
                        f"{record['dataset']['files_sha256']}")
    model = cls.from_pretrained(out_dir)
    # from_pretrained loads with strict=False: require every key to match exactly
    from safetensors.torch import load_file
    saved = load_file(out_dir / "model.safetensors")
    expected = set(model.state_dict())
    if set(saved) != expected:
        problems.append(f"state dict keys differ: {sorted(set(saved) ^ expected)}")
    compare(record["final"], final_metrics(model, data), "final", tol, problems)
    compare(record["equivariance_error"][GROUP], equivariance_error(model, data, data.valid_raw),
            "equivariance_error", tol, problems)
    if problems:
        print(f"{name}: FAIL\n  " + "\n  ".join(problems))
        return False
    print(f"{name}: from_pretrained reproduces training.json (rel. tol {tol:g}): valid VRMSE "
          f"{record['final']['valid']['VRMSE']['full']:.6f}")
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--case", choices=sorted(CASES), default="navier_stokes_2d",
                    help="the bundled dataset and its models (navier_stokes_3d: fno_3d, "
                         "unet_classic_3d)")
    ap.add_argument("--dataset", type=pathlib.Path,
                    help="dataset folder (default: datasets/reference/<case>)")
    ap.add_argument("--out", type=pathlib.Path, default=REPO / "surrogates" / "reference")
    ap.add_argument("--models", default="", help="comma list of the case's models (default: all)")
    ap.add_argument("--epochs", type=int, default=0, help="override every model's epoch count")
    ap.add_argument("--verify-only", action="store_true",
                    help="only reload the saved checkpoints and compare with training.json")
    ap.add_argument("--threads", type=int, default=THREADS,
                    help="torch threads (results can change in the last bits with the count)")
    ap.add_argument("--tol", type=float, default=1e-5,
                    help="relative tolerance of --verify-only (another CPU may change last bits)")
    args = ap.parse_args()

    case = use_case(args.case)
    dataset = args.dataset or REPO / "datasets" / "reference" / case["dataset"]
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    check_parity(dataset)
    data = Data(dataset)
    names = [n for n in args.models.split(",") if n] or list(MODELS)
    ok = True
    for name in names:
        if name not in MODELS:
            sys.exit(f"unknown model {name!r} for case {args.case} (known: {', '.join(MODELS)})")
        out_dir = args.out / name
        if not args.verify_only:
            train(name, data, out_dir, args.epochs)
            # the same process, same threads: the reloaded model must give the same numbers
            ok &= verify(name, data, out_dir, 1e-6)
        else:
            ok &= verify(name, data, out_dir, args.tol)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
