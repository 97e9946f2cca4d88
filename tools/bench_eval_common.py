"""What tools/bench_eval_2d.py and tools/bench_eval_3d.py share: the hyperoctahedral group as signed
permutations of the axes, its action on channels-first PyTorch batches of scalar and vector
fields, the peak RSS of a process and the median/min/max of timings.

A group element is a pair (source, sign) of tuples: output axis k = sign[k] · input axis
source[k], i.e. the point map p'_k = sign[k] · p_source[k] (R[k, source[k]] = sign[k]). Acting on
a field, (g·f)(p) = ρ(g) f(g⁻¹p): the array's axes are permuted and flipped (a cell-centred axis
flips as i ↦ N−1−i, which is torch.flip), a vector's components mixed by R, and a pseudo field
also multiplied by det R.

No torch import at module level: the benchmark's parent process does not need it.
"""
import itertools
import statistics

import numpy as np


def signed_permutations(ndim):
    """All 2^d·d! (source, sign) pairs, identity first: output axis k = sign[k]·input axis source[k]."""
    out = []
    for source in itertools.permutations(range(ndim)):
        for sign in itertools.product((1, -1), repeat=ndim):
            out.append((tuple(source), tuple(sign)))
    out.sort(key=lambda e: (e != (tuple(range(ndim)), (1,) * ndim)))
    return out


def inverse(element):
    source, sign = element
    inv_source, inv_sign = [0] * len(source), [0] * len(source)
    for k, m in enumerate(source):
        inv_source[m] = k
        inv_sign[m] = sign[k]
    return tuple(inv_source), tuple(inv_sign)


def determinant(element):
    source, sign = element
    parity = 1
    s = list(source)
    for i in range(len(s)):
        for j in range(i + 1, len(s)):
            if s[i] > s[j]:
                parity = -parity
    return parity * int(np.prod(sign))


def notation(element):
    """gavel's notation of an element: the image of the point (x, y[, z]), e.g. [-y,x] for rot90."""
    source, sign = element
    names = "xyz"
    return "[" + ",".join(("-" if s < 0 else "") + names[m] for m, s in zip(source, sign)) + "]"


def parse_notation(text):
    """The inverse of `notation`: "[-y,x]" -> ((1, 0), (-1, 1))."""
    parts = text.strip("[]").split(",")
    source = tuple("xyz".index(p.lstrip("-")) for p in parts)
    sign = tuple(-1 if p.startswith("-") else 1 for p in parts)
    return source, sign


class FieldLayout:
    """The channels of one time step: [(name, first channel, "scalar"|"vector", pseudo)], in
    the_well's flattened order (t0 fields, then t1 fields with components x, y[, z])."""

    def __init__(self, ndim, fields):
        self.ndim = ndim
        self.fields = list(fields)
        self.per_step = sum(1 if kind == "scalar" else ndim for _, _, kind, _ in self.fields)

    def field_ranges(self):
        """(name, first channel, channel count) of each field."""
        return [(name, first, 1 if kind == "scalar" else self.ndim) for name, first, kind, _ in self.fields]

    def channel_map(self, element):
        """ρ(g) on one step's channels as a signed permutation: output channel c = sign[c] · input
        channel index[c]."""
        source, sign = element
        det = determinant(element)
        index, factor = list(range(self.per_step)), [1.0] * self.per_step
        for _, first, kind, pseudo in self.fields:
            parity = det if pseudo else 1
            if kind == "scalar":
                factor[first] = float(parity)
            else:
                for k in range(self.ndim):
                    index[first + k] = first + source[k]
                    factor[first + k] = float(sign[k] * parity)
        return index, factor


class TorchAction:
    """g·f on channels-first batches (B, steps·per_step, *space) with the elements' channel maps
    precomputed: one permute + flip of the axes, one index_select and one multiply per call."""

    def __init__(self, layout, elements):
        import torch

        self.layout = layout
        self.maps = {}
        for g in list(elements) + [inverse(g) for g in elements]:
            index, factor = layout.channel_map(g)
            self.maps[g] = (torch.tensor(index), torch.tensor(factor))

    def __call__(self, element, fields):
        source, sign = element
        b, c = fields.shape[:2]
        nd = self.layout.ndim
        moved = fields.permute(0, 1, *(2 + m for m in source))
        flips = [2 + k for k in range(nd) if sign[k] < 0]
        if flips:
            moved = moved.flip(flips)
        steps = c // self.layout.per_step
        index, factor = self.maps[element]
        moved = moved.reshape(b, steps, self.layout.per_step, *moved.shape[2:])
        out = moved.index_select(2, index) * factor.view(1, 1, -1, *([1] * nd))
        return out.reshape(b, c, *out.shape[3:])


def peak_rss_bytes():
    """VmHWM of this process (restarts at exec, so parent and child differ)."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM:"))


def spread(values):
    """(median, min, max) of a list of numbers."""
    return statistics.median(values), min(values), max(values)
