#!/usr/bin/env python3
"""Golden model fixtures made with The Well's own model classes (the_well 1.2.0
FNO, TFNO, UNetClassic, UNetConvNext; neuraloperator 0.3.0 underneath FNO/TFNO), so gavel's native
models can be checked against PyTorch.

    ~/.cache/gavel/venv-reference/bin/pip install -r tools/requirements-reference.txt
    ~/.cache/gavel/venv-reference/bin/python tools/make_model_goldens.py --out tests/data/models

For each case (see CASES) it builds the_well's class at a small size, re-draws every parameter and
buffer from a seeded generator (non-trivial values: BatchNorm statistics, layer-scale gammas of
0.1..1, non-zero biases, including the unused bias of the channels_first LayerNorm), calls
`model.eval()` and `model.save_pretrained(<out>/<case>)` exactly as the published checkpoints were
written (`model.safetensors` + `config.json`; the boilerplate model-card README.md that
huggingface_hub adds is removed), and writes `<out>/<case>/golden.hdf5`:

  root attrs: `case`, `architecture` (class name), `constructor_kwargs` (JSON, sorted keys),
              `seed`, `batch_size`, `layers` (string list: the recorded activations in the order
              their modules *finished*, i.e. forward-hook order), package versions
              (`<package>_version`), `numpy_reference_max_abs_diff`.
  `input`  float32 [B, dim_in, *space], N(0, 1).
  `output` float32 [B, dim_out, *space] = model(input).
  one dataset per recorded activation, named by the module's state-dict path (`model.lifting`,
  `encoder1`, `decoder.1.blocks.0`, ...). A module called once per layer gets `@<call index>`
  (`model.fno_blocks@2`, `model.fno_blocks.convs@2`: the spectral convolution of layer 2, with
  its bias). attrs: `module` (class name), `layout` (`channels_first` = [B, C, *space];
  `channels_last` = [B, *space, C], only inside ConvNeXt blocks).

It also writes `<out>/spectral_conv.golden.hdf5`: neuraloperator 0.3.0 `SpectralConv` alone on
edge cases (odd sizes, modes beyond the grid, identity weights); see README.md there.

Every case is re-computed from the saved `model.safetensors` + `config.json` by an independent
float64 numpy port of the semantics written in tools/the-well-semantics.md ("Models as
installed"); the run fails if any recorded tensor differs by more than 1e-4 (relative to its
scale). Deterministic: one thread, seeded generators, HDF5 without timestamps; reruns give the
same bytes. Finally `<out>/README.md` is regenerated (cases, shapes, safetensors listings).
"""
import argparse
import importlib.metadata
import json
import pathlib
import shutil
import warnings

import h5py
import numpy as np
import torch
from scipy.special import erf

warnings.filterwarnings("ignore")  # wandb/timm/neuralop import-time deprecation noise

from neuralop.layers.spectral_convolution import SpectralConv  # noqa: E402
from safetensors import safe_open  # noqa: E402
from the_well.benchmark import models as well_models  # noqa: E402

SEED = 20261129
BATCH = 2
STR = h5py.string_dtype()
PACKAGES = ["the_well", "neuraloperator", "torch", "tensorly", "tensorly-torch", "opt-einsum",
            "huggingface_hub", "safetensors", "timm", "h5py", "numpy", "scipy"]

CASES = {
    # FNO: leading axes keep m centred modes, the last (rfft) axis keeps m//2+1.
    "fno2d": ("FNO", dict(dim_in=3, dim_out=2, n_spatial_dims=2, spatial_resolution=[20, 16],
                          modes1=6, modes2=7, hidden_channels=8)),
    # odd leading axis (15): neuraloperator's second fftshift moves every kept mode by -1 there
    "fno2d_odd": ("FNO", dict(dim_in=2, dim_out=3, n_spatial_dims=2, spatial_resolution=[15, 12],
                              modes1=5, modes2=4, hidden_channels=6)),
    "fno3d": ("FNO", dict(dim_in=2, dim_out=3, n_spatial_dims=3, spatial_resolution=[8, 6, 10],
                          modes1=4, modes2=3, modes3=5, hidden_channels=6)),
    "tfno2d": ("TFNO", dict(dim_in=3, dim_out=2, n_spatial_dims=2, spatial_resolution=[16, 12],
                            modes1=6, modes2=5, hidden_channels=8)),
    "tfno3d": ("TFNO", dict(dim_in=2, dim_out=2, n_spatial_dims=3, spatial_resolution=[8, 8, 8],
                            modes1=4, modes2=4, modes3=4, hidden_channels=6)),
    # UNetClassic pools 4 times: every axis must be a multiple of 16
    "unetclassic2d": ("UNetClassic", dict(dim_in=3, dim_out=2, n_spatial_dims=2,
                                          spatial_resolution=[32, 16], init_features=3)),
    "unetclassic3d": ("UNetClassic", dict(dim_in=2, dim_out=1, n_spatial_dims=3,
                                          spatial_resolution=[16, 16, 16], init_features=2)),
    # UNetConvNext halves `stages` times: every axis must be a multiple of 2**stages
    "unetconvnext2d": ("UNetConvNext", dict(dim_in=3, dim_out=2, n_spatial_dims=2,
                                            spatial_resolution=[32, 16], stages=4,
                                            blocks_per_stage=2, blocks_at_neck=1,
                                            init_features=3)),
    "unetconvnext3d": ("UNetConvNext", dict(dim_in=2, dim_out=3, n_spatial_dims=3,
                                            spatial_resolution=[16, 8, 8], stages=2,
                                            blocks_per_stage=1, blocks_at_neck=2,
                                            init_features=4)),
}

# SpectralConv alone: (name, in, out, n_modes as the_well passes them, space, weight kind)
SPECTRAL_CASES = [
    ("even_2d", 3, 2, (6, 6), (16, 12), "random"),
    ("odd_leading_2d", 2, 3, (5, 4), (9, 8), "random"),
    ("odd_last_2d", 2, 2, (4, 6), (8, 9), "random"),
    ("modes_exceed_grid_2d", 2, 3, (10, 10), (6, 6), "random"),
    ("odd_modes_3d", 2, 2, (3, 5, 5), (8, 7, 6), "random"),
    ("identity_even_2d", 1, 1, (8, 6), (8, 6), "ones"),
    ("identity_odd_2d", 1, 1, (7, 6), (7, 6), "ones"),
]


# --------------------------------------------------------------------------------------------
# HDF5 helpers (as tools/make_window_goldens.py)


def str_list(values):
    return np.array(list(values), dtype=STR)


def put(group, name, array, **attrs):
    array = np.ascontiguousarray(array)
    kw = {}
    if array.size > 64:  # one gzip chunk per dataset
        kw = dict(chunks=array.shape, compression="gzip", compression_opts=9, shuffle=True)
    ds = group.create_dataset(name, data=array, **kw)
    for k, v in attrs.items():
        ds.attrs[k] = v
    return ds


def golden_file(path):
    """A new file in the v110 format without object timestamps (reruns give the same bytes)."""
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


def versions():
    return {p: importlib.metadata.version(p) for p in PACKAGES}


# --------------------------------------------------------------------------------------------
# Parameters: re-drawn so that every term of the forward pass matters


def randomize(model, gen):
    def normal(t, std, mean=0.0):
        t.copy_(mean + std * torch.randn(t.shape, generator=gen, dtype=torch.float64))

    def uniform(t, lo, hi):
        t.copy_(lo + (hi - lo) * torch.rand(t.shape, generator=gen, dtype=torch.float64))

    with torch.no_grad():
        for name, t in list(model.named_parameters()) + list(model.named_buffers()):
            parent, leaf = name.rsplit(".", 1)
            mod = model.get_submodule(parent)
            kind = type(mod).__name__
            if kind in ("FactorList", "ComplexFactorList"):
                rank = t.shape[1]  # factor [size, rank, 2]: rows of norm ~1
                normal(t, 1.0 / rank ** 0.5 / 2 ** 0.5)
            elif kind.endswith(("DenseTensor", "TuckerTensor")):
                # spectral weight (real view [..., 2]); |W| ~ 2/sqrt(C_in) so the spectral path
                # is about as large as the 1x1 skip
                spec = model.get_submodule(parent.rsplit(".", 2)[0])  # ...convs
                c_in = spec.in_channels
                if leaf == "tensor":
                    normal(t, 2.0 / c_in ** 0.5 / 2 ** 0.5)
                elif leaf == "core":
                    normal(t, 2.0 / c_in ** 0.5 / 2 ** 0.5)
                else:
                    raise AssertionError(name)
            elif kind == "SpectralConv" and leaf == "bias":
                normal(t, 0.2)
            elif kind.startswith("BatchNorm"):
                if leaf == "weight":
                    uniform(t, 0.5, 1.5)
                elif leaf == "bias":
                    normal(t, 0.2)
                elif leaf == "running_mean":
                    normal(t, 0.3)
                elif leaf == "running_var":
                    uniform(t, 0.5, 2.0)
                elif leaf == "num_batches_tracked":
                    t.fill_(1234)
                else:
                    raise AssertionError(name)
            elif kind == "LayerNorm":  # the_well's own class (both data formats)
                if leaf == "weight":
                    uniform(t, 0.5, 1.5)
                else:
                    normal(t, 0.2)  # unused by channels_first: a non-zero value proves it
            elif kind == "Block" and leaf == "gamma":
                uniform(t, 0.1, 1.0)
            elif kind.startswith(("Conv", "Linear")):
                if leaf == "weight":
                    if kind.startswith("ConvTranspose"):
                        k = t.shape[2:]
                        stride = mod.stride
                        fan_in = t.shape[0] * int(np.prod(k)) / int(np.prod(stride))
                    else:
                        fan_in = t[0].numel()
                    a = (3.0 / fan_in) ** 0.5
                    uniform(t, -a, a)
                else:
                    normal(t, 0.2)
            else:
                raise AssertionError(f"no rule for {name} ({kind})")


# --------------------------------------------------------------------------------------------
# Which activations are recorded


def recorded_modules(arch, model, kw):
    """Module paths to hook. Paths of modules called once per FNO layer are recorded per call."""
    if arch in ("FNO", "TFNO"):
        n_layers = model.model.n_layers
        # the 1x1 skip of layer 0 only (size budget); later skips = block - spectral part
        names = ["model.lifting", "model.fno_blocks.fno_skips.0", "model.fno_blocks.convs",
                 "model.fno_blocks", "model.projection"]
        assert n_layers == 4
        return names
    if arch == "UNetClassic":
        inner = [f"encoder1.enc1{n}" for n in ("conv1", "norm1", "conv2", "norm2")]
        if kw["n_spatial_dims"] == 3:
            inner = []  # size budget
        top = ["encoder1", "encoder2", "encoder3", "encoder4", "bottleneck",
               "upconv4", "decoder4", "upconv3", "decoder3", "upconv2", "decoder2",
               "upconv1", "decoder1", "conv"]
        return inner + top
    if arch == "UNetConvNext":
        names = ["in_proj", "out_proj", "neck"]
        stages = kw.get("stages", 4)
        for j in range(kw.get("blocks_at_neck", 1)):
            names.append(f"neck.blocks.{j}")
        for part in ("encoder", "decoder"):
            for i in range(stages):
                names.append(f"{part}.{i}")
                for j in range(kw.get("blocks_per_stage", 1)):
                    names.append(f"{part}.{i}.blocks.{j}")
                if part == "decoder" and i > 0:
                    names.append(f"{part}.{i}.skip_proj")
            names.append(f"{part}.0.resample.block.0")  # the channels_first (L2) "LayerNorm"
        for leaf in ("dwconv", "norm", "pwconv2"):  # pwconv1 (4C wide) left out: size budget
            names.append(f"encoder.0.blocks.0.{leaf}")
        return names
    raise AssertionError(arch)


def run_with_hooks(model, names, x):
    seen, calls, handles = [], {}, []

    def hook_for(name, once):
        def hook(mod, inp, out):
            k = calls.get(name, 0)
            calls[name] = k + 1
            key = name if once else f"{name}@{k}"
            layout = "channels_last" if (name.split(".")[-1] in ("norm", "pwconv1", "pwconv2")
                                         and ".blocks." in name) else "channels_first"
            seen.append((key, out.detach().clone(), type(mod).__name__, layout))
        return hook

    for name in names:
        once = name not in ("model.fno_blocks.convs", "model.fno_blocks")
        handles.append(model.get_submodule(name).register_forward_hook(hook_for(name, once)))
    with torch.no_grad():
        y = model(x)
    for h in handles:
        h.remove()
    return y, seen


# --------------------------------------------------------------------------------------------
# Independent float64 numpy port (reads only model.safetensors + config.json)


def gelu(x):
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


def bshape(v, d):
    return v.reshape(1, -1, *([1] * d))


def conv(x, w, b=None, pad=0, groups=1):
    """Cross-correlation, stride 1, zero padding `pad` on every side; w [O, C/groups, *k]."""
    d = x.ndim - 2
    if pad:
        x = np.pad(x, [(0, 0), (0, 0)] + [(pad, pad)] * d)
    k = w.shape[2:]
    out_s = [x.shape[2 + i] - k[i] + 1 for i in range(d)]
    B, O, cg = x.shape[0], w.shape[0], w.shape[1]
    y = np.zeros((B, O, *out_s))
    for off in np.ndindex(*k):
        sl = x[(slice(None), slice(None)) + tuple(slice(o, o + n) for o, n in zip(off, out_s))]
        wk = w[(slice(None), slice(None)) + off]
        if groups == 1:
            y += np.einsum("bc...,oc->bo...", sl, wk)
        else:
            sg = sl.reshape(B, groups, cg, *out_s)
            wg = wk.reshape(groups, O // groups, cg)
            y += np.einsum("bgc...,goc->bgo...", sg, wg).reshape(B, O, *out_s)
    return y if b is None else y + bshape(b, d)


def conv_k2s2(x, w, b):
    """Conv, kernel 2, stride 2, no padding; w [O, C, 2, ...]."""
    d = x.ndim - 2
    y = 0.0
    for off in np.ndindex(*([2] * d)):
        sl = x[(slice(None), slice(None)) + tuple(slice(o, None, 2) for o in off)]
        y = y + np.einsum("bc...,oc->bo...", sl, w[(slice(None), slice(None)) + off])
    return y + bshape(b, d)


def conv_transpose(x, w, b):
    """ConvTranspose with kernel == stride (2 or 1), no padding; w [C, O, k, ...]."""
    d = x.ndim - 2
    k = w.shape[2]
    B, O = x.shape[0], w.shape[1]
    y = np.zeros((B, O, *[s * k for s in x.shape[2:]]))
    for off in np.ndindex(*([k] * d)):
        idx = (slice(None), slice(None)) + tuple(slice(o, None, k) for o in off)
        y[idx] = np.einsum("bc...,co->bo...", x, w[(slice(None), slice(None)) + off])
    return y + bshape(b, d)


def maxpool2(x):
    d = x.ndim - 2
    shape = list(x.shape[:2])
    for s in x.shape[2:]:
        shape += [s // 2, 2]
    return x.reshape(shape).max(axis=tuple(3 + 2 * i for i in range(d)))


def complex_of(a):
    return a[..., 0] + 1j * a[..., 1]


def kept_modes(n, m, last):
    """(input index, weight index, output index) along one axis of rfftn's output, for an axis of
    n points and a weight of m modes on it (m already halved on the last axis)."""
    if last:
        nf = n // 2 + 1
        return [(f, f, f) for f in range(min(nf, m))]
    rows = []
    if n >= m:
        pairs = [((n - m) // 2 - n // 2 + t, t) for t in range(m)]
    else:
        pairs = [(j - n // 2, j + (m - n) // 2) for j in range(n)]
    for f, t in pairs:  # f: signed frequency; the second fftshift puts it at f-1 on odd axes
        rows.append((f % n, t, (f if n % 2 == 0 else f - 1) % n))
    return rows


def spectral_conv(x, w, bias):
    """neuraloperator 0.3.0 SpectralConv as used (fft_norm "backward"); w complex [I, O, *m]."""
    d = x.ndim - 2
    space = x.shape[2:]
    axes = tuple(range(2, 2 + d))
    X = np.fft.rfftn(x, axes=axes)
    out = np.zeros((x.shape[0], w.shape[1], *X.shape[2:]), dtype=complex)
    rows = [kept_modes(space[a], w.shape[2 + a], a == d - 1) for a in range(d)]
    xi = np.ix_(*[[r[0] for r in ax] for ax in rows])
    wi = np.ix_(*[[r[1] for r in ax] for ax in rows])
    oi = np.ix_(*[[r[2] for r in ax] for ax in rows])
    xs = X[(slice(None), slice(None)) + xi]
    ws = w[(slice(None), slice(None)) + wi]
    out[(slice(None), slice(None)) + oi] = np.einsum("bi...,io...->bo...", xs, ws)
    y = np.fft.irfftn(out, s=space, axes=axes)  # C2R: imag of the k_last=0 (and Nyquist) bins dropped
    return y if bias is None else y + bias[None]


def tucker_weight(sd, prefix):
    core = complex_of(sd[prefix + ".core"])
    factors = []
    k = 0
    while f"{prefix}.factors.factor_{k}" in sd:
        factors.append(complex_of(sd[f"{prefix}.factors.factor_{k}"]))
        k += 1
    letters = "abcdefgh"[:core.ndim]
    outs = "ABCDEFGH"[:core.ndim]
    eq = letters + "," + ",".join(o + r for o, r in zip(outs, letters)) + "->" + outs
    return np.einsum(eq, core, *factors)


def ref_fno(sd, cfg, x, arch):
    acts = {}

    def mlp(h, p):
        h = conv(h, sd[p + ".fcs.0.weight"], sd[p + ".fcs.0.bias"])
        return conv(gelu(h), sd[p + ".fcs.1.weight"], sd[p + ".fcs.1.bias"])

    h = acts["model.lifting"] = mlp(x, "model.lifting")
    bias = sd["model.fno_blocks.convs.bias"]
    n_layers = bias.shape[0]
    for i in range(n_layers):
        p = f"model.fno_blocks.convs.weight.{i}"
        w = complex_of(sd[p + ".tensor"]) if arch == "FNO" else tucker_weight(sd, p)
        skip = acts[f"model.fno_blocks.fno_skips.{i}"] = conv(
            h, sd[f"model.fno_blocks.fno_skips.{i}.weight"])
        spec = acts[f"model.fno_blocks.convs@{i}"] = spectral_conv(h, w, bias[i])
        h = spec + skip
        if i < n_layers - 1:
            h = gelu(h)
        acts[f"model.fno_blocks@{i}"] = h
    acts["model.projection"] = mlp(h, "model.projection")
    return acts["model.projection"], acts


def ref_unet_classic(sd, cfg, x):
    acts = {}

    def bn(h, p):
        d = h.ndim - 2
        return ((h - bshape(sd[p + ".running_mean"], d))
                / np.sqrt(bshape(sd[p + ".running_var"], d) + 1e-5)
                * bshape(sd[p + ".weight"], d) + bshape(sd[p + ".bias"], d))

    def block(h, name, tag):
        for j in (1, 2):
            h = conv(h, sd[f"{name}.{tag}conv{j}.weight"], pad=1)
            acts[f"{name}.{tag}conv{j}"] = h
            h = bn(h, f"{name}.{tag}norm{j}")
            acts[f"{name}.{tag}norm{j}"] = h
            h = np.tanh(h)
        acts[name] = h
        return h

    enc = []
    h = x
    for i in range(1, 5):
        h = block(h if i == 1 else maxpool2(h), f"encoder{i}", f"enc{i}")
        enc.append(h)
    h = block(maxpool2(h), "bottleneck", "bottleneck")
    for i in range(4, 0, -1):
        h = acts[f"upconv{i}"] = conv_transpose(h, sd[f"upconv{i}.weight"], sd[f"upconv{i}.bias"])
        h = block(np.concatenate([h, enc[i - 1]], axis=1), f"decoder{i}", f"dec{i}")
    y = acts["conv"] = conv_transpose(h, sd["conv.weight"], sd["conv.bias"])
    return y, acts


def ref_unet_convnext(sd, cfg, x):
    acts = {}
    d = x.ndim - 2

    def l2norm(h, p):  # the_well LayerNorm, channels_first: F.normalize(p=2, dim=1, eps=1e-6) * w
        nrm = np.sqrt((h * h).sum(axis=1, keepdims=True))
        return h / np.maximum(nrm, 1e-6) * sd[p + ".weight"][None]

    def block(h, p):
        c = h.shape[1]
        t = acts[p + ".dwconv"] = conv(h, sd[p + ".dwconv.weight"], sd[p + ".dwconv.bias"],
                                      pad=3, groups=c)
        t = np.moveaxis(t, 1, -1)  # channels last
        mu = t.mean(-1, keepdims=True)
        var = ((t - mu) ** 2).mean(-1, keepdims=True)
        t = acts[p + ".norm"] = (t - mu) / np.sqrt(var + 1e-6) * sd[p + ".norm.weight"] \
            + sd[p + ".norm.bias"]
        t = acts[p + ".pwconv1"] = t @ sd[p + ".pwconv1.weight"].T + sd[p + ".pwconv1.bias"]
        t = acts[p + ".pwconv2"] = gelu(t) @ sd[p + ".pwconv2.weight"].T + sd[p + ".pwconv2.bias"]
        t = sd[p + ".gamma"] * t
        h = acts[p] = h + np.moveaxis(t, -1, 1)
        return h

    def stage(h, p, mode):
        if p + ".skip_proj.weight" in sd:
            h = acts[p + ".skip_proj"] = conv(h, sd[p + ".skip_proj.weight"],
                                              sd[p + ".skip_proj.bias"])
        j = 0
        while f"{p}.blocks.{j}.gamma" in sd:
            h = block(h, f"{p}.blocks.{j}")
            j += 1
        if mode != "neck":
            h = acts[p + ".resample.block.0"] = l2norm(h, p + ".resample.block.0")
            w, b = sd[p + ".resample.block.1.weight"], sd[p + ".resample.block.1.bias"]
            h = conv_k2s2(h, w, b) if mode == "down" else conv_transpose(h, w, b)
        acts[p] = h
        return h

    stages = cfg.get("stages", 4)
    h = acts["in_proj"] = conv(x, sd["in_proj.weight"], sd["in_proj.bias"], pad=1)
    skips = []
    for i in range(stages):
        skips.append(h)
        h = stage(h, f"encoder.{i}", "down")
    h = stage(h, "neck", "neck")
    for j in range(stages):
        if j > 0:
            h = np.concatenate([h, skips[-j]], axis=1)
        h = stage(h, f"decoder.{j}", "up")
    y = acts["out_proj"] = conv(h, sd["out_proj.weight"], sd["out_proj.bias"], pad=1)
    assert d in (2, 3)
    return y, acts


def reference(case_dir, x):
    cfg = json.loads((case_dir / "config.json").read_text())
    sd = {}
    with safe_open(str(case_dir / "model.safetensors"), framework="np") as f:
        for k in f.keys():
            sd[k] = f.get_tensor(k).astype(np.float64)
    return cfg, sd


# --------------------------------------------------------------------------------------------
# Cases


def check(name, got, want):
    got = np.asarray(got, dtype=np.float64)
    assert got.shape == want.shape, (name, got.shape, want.shape)
    err = float(np.abs(got - want).max())
    scale = 1.0 + float(np.abs(want).max())
    assert err <= 1e-4 * scale, f"{name}: numpy port differs by {err:.3e} (scale {scale:.3g})"
    return err


def make_case(out, index, name, arch, kw):
    seed = SEED + index
    gen = torch.Generator().manual_seed(seed)
    model = getattr(well_models, arch)(**kw)
    randomize(model, gen)
    model.eval()
    case_dir = out / name
    if case_dir.exists():
        shutil.rmtree(case_dir)
    model.save_pretrained(case_dir)
    readme = case_dir / "README.md"  # model card boilerplate, not part of the checkpoint
    if readme.exists():
        readme.unlink()
    x = torch.randn((BATCH, kw["dim_in"], *kw["spatial_resolution"]), generator=gen,
                    dtype=torch.float64).float()
    y, seen = run_with_hooks(model, recorded_modules(arch, model, kw), x)
    assert y.shape == (BATCH, kw["dim_out"], *kw["spatial_resolution"]), y.shape

    cfg, sd = reference(case_dir, x)
    xr = x.double().numpy()
    if arch in ("FNO", "TFNO"):
        yr, acts = ref_fno(sd, cfg, xr, arch)
    elif arch == "UNetClassic":
        yr, acts = ref_unet_classic(sd, cfg, xr)
    else:
        yr, acts = ref_unet_convnext(sd, cfg, xr)
    worst = check("output", y.numpy(), yr)
    for key, t, _, _ in seen:
        worst = max(worst, check(key, t.numpy(), acts[key]))

    with golden_file(case_dir / "golden.hdf5") as g:
        g.attrs["case"] = name
        g.attrs["architecture"] = arch
        g.attrs["constructor_kwargs"] = json.dumps(kw, sort_keys=True)
        g.attrs["seed"] = seed
        g.attrs["batch_size"] = BATCH
        for p, v in versions().items():
            g.attrs[f"{p.replace('-', '_')}_version"] = v
        g.attrs["layers"] = str_list(k for k, _, _, _ in seen)
        g.attrs["numpy_reference_max_abs_diff"] = worst
        put(g, "input", x.numpy())
        put(g, "output", y.numpy())
        for key, t, kind, layout in seen:
            put(g, key, t.numpy(), module=kind, layout=layout)
    stats = " ".join(f"{k.split('.')[-1]}:{t.std():.2f}" for k, t, _, _ in seen[:6])
    print(f"{name}: {arch} out{list(y.shape)} std {y.std():.3f}; {len(seen)} activations "
          f"({stats} ...); numpy port max |diff| {worst:.2e}")
    return seen


def make_spectral(out):
    path = out / "spectral_conv.golden.hdf5"
    with golden_file(path) as g:
        for p, v in versions().items():
            g.attrs[f"{p.replace('-', '_')}_version"] = v
        for i, (name, cin, cout, modes, space, kind) in enumerate(SPECTRAL_CASES):
            gen = torch.Generator().manual_seed(SEED + 100 + i)
            conv_mod = SpectralConv(cin, cout, modes, n_layers=1)  # as FNOBlocks builds it
            w = conv_mod.weight[0]._parameters["tensor"]  # real view [in, out, *kept, 2]
            with torch.no_grad():
                if kind == "ones":
                    w.zero_()
                    w[..., 0] = 1.0
                    conv_mod.bias.zero_()
                else:
                    w.copy_(torch.randn(w.shape, generator=gen, dtype=torch.float64)
                            / cin ** 0.5 / 2 ** 0.5)
                    conv_mod.bias.copy_(0.2 * torch.randn(conv_mod.bias.shape, generator=gen,
                                                          dtype=torch.float64))
            x = torch.randn((BATCH, cin, *space), generator=gen, dtype=torch.float64).float()
            with torch.no_grad():
                y = conv_mod(x, 0)
            wr = w.detach().double().numpy()
            yr = spectral_conv(x.double().numpy(), complex_of(wr),
                               conv_mod.bias.detach().double().numpy()[0])
            err = check(name, y.numpy(), yr)
            if kind == "ones" and all(n % 2 == 0 for n in space[:-1]):
                assert np.abs(y.numpy() - x.numpy()).max() < 1e-5, "identity on even grid"
            grp = new_group(g, name)
            grp.attrs["in_channels"] = cin
            grp.attrs["out_channels"] = cout
            grp.attrs["n_modes"] = np.array(modes, dtype=np.int64)
            grp.attrs["kept_modes"] = np.array(conv_mod.n_modes, dtype=np.int64)
            grp.attrs["spatial_shape"] = np.array(space, dtype=np.int64)
            grp.attrs["numpy_reference_max_abs_diff"] = err
            put(grp, "input", x.numpy())
            put(grp, "weight", w.detach().numpy())
            put(grp, "bias", conv_mod.bias.detach().numpy()[0])
            put(grp, "output", y.numpy())
            print(f"spectral_conv/{name}: weight{list(w.shape)} in{list(x.shape)} "
                  f"numpy port max |diff| {err:.2e}")


# --------------------------------------------------------------------------------------------
# README


README_HEAD = """# Model goldens (made by tools/make_model_goldens.py; do not edit by hand)

Each case folder `<case>/` holds a checkpoint written exactly like the published ones
(`model.safetensors` + `config.json`, by the_well's `BaseModel.save_pretrained`, i.e.
huggingface_hub's `PyTorchModelHubMixin`; the boilerplate model-card README.md it also writes is
dropped) plus `golden.hdf5`. Weights are random but non-trivial (BatchNorm statistics, layer-scale
gammas 0.1..1, non-zero biases everywhere, including the channels_first LayerNorm bias that the
forward pass never reads). Semantics of every layer: tools/the-well-semantics.md, "Models as
installed". Every recorded tensor below was re-computed from `model.safetensors` + `config.json`
alone by a float64 numpy port of those semantics (in the script); its worst absolute difference is
the root attr `numpy_reference_max_abs_diff` (all below 1.1e-5).

**safetensors**: every tensor float32 (spectral weights as real views with a trailing 2 =
(real, imag)), except BatchNorm `num_batches_tracked` (int64, shape [], unused in eval); header
metadata `{"format": "pt"}`. **config.json**: the constructor's keyword arguments *including
defaults* (`modes3`, `gradient_checkpointing`, ...), sorted keys, indent 2; the "constructor
kwargs" lines below are only the ones the script passed.

**golden.hdf5** (HDF5 1.10 format; datasets over 64 values are one gzip+shuffle chunk):
- root attrs: `case`, `architecture`, `constructor_kwargs` (JSON), `seed`, `batch_size` (2),
  `layers` (string list), `<package>_version` (the_well, neuraloperator, torch, tensorly,
  tensorly_torch, opt_einsum, huggingface_hub, safetensors, timm, h5py, numpy, scipy),
  `numpy_reference_max_abs_diff`.
- `input` float32 [2, dim_in, *space] ~ N(0,1); `output` float32 [2, dim_out, *space].
- one float32 dataset per recorded activation, named by the module's state-dict path; `@k` = the
  k-th call of a module that runs once per FNO layer (`model.fno_blocks@k` = output of FNO layer
  k, `model.fno_blocks.convs@k` = its spectral convolution incl. bias). Order = root attr
  `layers`, the order in which the modules *finished* (forward-hook order: a container comes after
  its children). Dataset attrs `module` (class name) and `layout`: `channels_last`
  ([B, *space, C]) only for `.norm` / `.pwconv2` inside a ConvNeXt block, else `channels_first`
  ([B, C, *space]).
"""

SPECTRAL_README = """
## spectral_conv.golden.hdf5

neuraloperator 0.3.0 `SpectralConv(in, out, n_modes, n_layers=1)` (as FNOBlocks builds it: dense
complex weight, fft_norm "backward", bias) alone, one group per case. Group attrs: `in_channels`,
`out_channels`, `n_modes` (as the_well passes them), `kept_modes` (the weight's mode dims: the last
one is `n_modes[-1]//2+1`), `spatial_shape`. Datasets: `input` [2, in, *space], `weight`
[in, out, *kept_modes, 2] (real, imag), `bias` [out, 1, ...], `output` [2, out, *space] =
forward(input, 0).

| case | in→out | n_modes | kept | space | what it pins |
|---|---|---|---|---|---|
"""

SPECTRAL_WHAT = {
    "even_2d": "plain case, modes < n/2",
    "odd_leading_2d": "odd leading axis: kept modes land one bin lower (double fftshift)",
    "odd_last_2d": "odd last axis: irfftn to an odd length (no Nyquist bin)",
    "modes_exceed_grid_2d": "weight larger than the spectrum: central weight rows / first columns used",
    "odd_modes_3d": "odd mode counts and an odd middle axis in 3-D",
    "identity_even_2d": "weight = 1 on every mode, bias 0: output = input (even grid)",
    "identity_odd_2d": "same on a 7-point leading axis: output = x·cos(2πn₀/7) + H[x]·sin(2πn₀/7), "
                       "n₀ = leading index, H = Hilbert transform along the last axis (not the identity)",
}


def write_readme(out, listings):
    lines = [README_HEAD]
    for name, (arch, kw) in CASES.items():
        case_dir = out / name
        lines.append(f"\n## {name}: {arch}\n")
        lines.append(f"- constructor kwargs: `{json.dumps(kw, sort_keys=True)}`")
        lines.append(f"- `input` [{BATCH}, {kw['dim_in']}, {', '.join(map(str, kw['spatial_resolution']))}]"
                     f" → `output` [{BATCH}, {kw['dim_out']}, "
                     f"{', '.join(map(str, kw['spatial_resolution']))}]")
        sizes = {p.name: p.stat().st_size for p in sorted(case_dir.iterdir())}
        lines.append("- files: " + ", ".join(f"`{k}` {v} B" for k, v in sizes.items()))
        lines.append("\nmodel.safetensors:\n\n| tensor | shape | dtype |\n|---|---|---|")
        with safe_open(str(case_dir / "model.safetensors"), framework="np") as f:
            for k in sorted(f.keys()):
                t = f.get_slice(k)
                lines.append(f"| `{k}` | {list(t.get_shape())} | {t.get_dtype()} |")
        lines.append("\ngolden.hdf5 activations, in `layers` order:\n\n"
                     "| name | module | layout | shape |\n|---|---|---|---|")
        for key, t, kind, layout in listings[name]:
            lines.append(f"| `{key}` | {kind} | {layout} | {list(t.shape)} |")
    lines.append(SPECTRAL_README.rstrip("\n"))
    for name, cin, cout, modes, space, _ in SPECTRAL_CASES:
        kept = list(modes[:-1]) + [modes[-1] // 2 + 1]
        lines.append(f"| `{name}` | {cin}→{cout} | {list(modes)} | {kept} | {list(space)} | "
                     f"{SPECTRAL_WHAT[name]} |")
    (out / "README.md").write_text("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="tests/data/models")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    listings = {}
    for i, (name, (arch, kw)) in enumerate(CASES.items()):
        listings[name] = make_case(out, i, name, arch, kw)
    make_spectral(out)
    write_readme(out, listings)


if __name__ == "__main__":
    main()
