"""Positions of a network's nodes, computed here so that the page opens laid out and still."""

from __future__ import annotations

import math
from typing import Any


def force_layout(n: int, edges: list[tuple[int, int]], *, seed: int = 7, iterations: int | None = None) -> Any:
    """Positions (an ``n`` x 2 numpy array) by a Fruchterman-Reingold layout whose repulsion is
    computed on a grid with FFT convolution, so each step costs O(n + m + G² log G): 20,000
    nodes take a fraction of a second where networkx's ``spring_layout`` takes minutes.
    Deterministic for a given ``seed``."""
    import numpy as np

    if n == 0:
        return np.zeros((0, 2))
    rng = np.random.default_rng(seed)
    k = 1.0
    src = np.array([e[0] for e in edges], dtype=np.int64)
    dst = np.array([e[1] for e in edges], dtype=np.int64)
    radius = math.sqrt(n) * k
    pos = (rng.random((n, 2)) - 0.5) * 2 * radius
    # Above 5,000 nodes, about one grid cell a node (a finer grid placed groups no better) and
    # 80 steps: a week of 10,000 nodes on a million events 0.8 s -> 0.25 s; groups of linked
    # nodes as far apart for their size (tests); smaller views are unchanged.
    cells = math.sqrt(n) * (2 if n <= 5000 else 1)
    grid = int(min(256, max(32, 2 ** math.ceil(math.log2(cells)))))
    g2 = 2 * grid
    off = np.arange(g2)
    off = np.where(off < grid, off, off - g2).astype(float)
    ox_, oy_ = np.meshgrid(off, off, indexing="ij")
    r2 = ox_ * ox_ + oy_ * oy_
    r2[0, 0] = 1.0
    kx = np.fft.rfft2(ox_ / r2)
    ky = np.fft.rfft2(oy_ / r2)
    steps = iterations or (300 if n <= 1000 else 150 if n <= 5000 else 80)
    temp, final = radius / 4, k / 20
    cool = (final / temp) ** (1 / steps)
    for _ in range(steps):
        lo = pos.min(axis=0)
        h = max(float((pos.max(axis=0) - lo).max()), 1e-9) * 1.0001 / grid
        cell = np.minimum(((pos - lo) / h).astype(np.int64), grid - 1)
        mass = np.bincount(cell[:, 0] * g2 + cell[:, 1], minlength=g2 * g2).reshape(g2, g2).astype(float)
        fm = np.fft.rfft2(mass)
        fx = np.fft.irfft2(fm * kx, s=mass.shape)
        fy = np.fft.irfft2(fm * ky, s=mass.shape)
        disp = (k * k / h) * np.stack([fx[cell[:, 0], cell[:, 1]], fy[cell[:, 0], cell[:, 1]]], axis=1)
        if len(src):
            d = pos[dst] - pos[src]
            dist = np.hypot(d[:, 0], d[:, 1]) + 1e-9
            f = d * (dist / k)[:, None]
            for axis in (0, 1):
                disp[:, axis] += np.bincount(src, weights=f[:, axis], minlength=n)
                disp[:, axis] -= np.bincount(dst, weights=f[:, axis], minlength=n)
        disp -= 0.5 * (pos - pos.mean(axis=0))
        length = np.hypot(disp[:, 0], disp[:, 1]) + 1e-12
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp *= cool
    return pos - pos.mean(axis=0)


def network_positions(
    ids: list[str], pairs: list[tuple[str, str]], clusters: list[dict[str, Any]] | None = None
) -> dict[str, tuple[float, float]]:
    """Linked nodes by :func:`force_layout`, each cluster as one node beside its hub (its members
    on a disc around it, where they appear when it opens); unlinked nodes in a block to the
    right (a force layout would push them into a ring around the rest). Sets each cluster's
    ``x`` and ``y``."""
    clusters = clusters or []
    member_of = {m: c["id"] for c in clusters for m in c["members"]}
    reduced = sorted({(member_of.get(u, u), member_of.get(v, v)) for u, v in pairs if u != v})
    linked = sorted({n for pair in reduced for n in pair})
    index = {n: i for i, n in enumerate(linked)}
    pos = force_layout(len(linked), [(index[u], index[v]) for u, v in reduced if u != v])
    spread = 70.0
    out = {n: (round(float(pos[i, 0]) * spread, 1), round(float(pos[i, 1]) * spread, 1)) for n, i in index.items()}
    golden = math.pi * (3 - math.sqrt(5))
    for c in clusters:
        cx, cy = out.pop(c["id"])
        c["x"], c["y"] = cx, cy
        for k, m in enumerate(c["members"]):  # a sunflower disc, 36 px between neighbours
            r, a = 36.0 * math.sqrt(k + 0.5), k * golden
            out[m] = (round(cx + r * math.cos(a), 1), round(cy + r * math.sin(a), 1))
    alone = [n for n in ids if n not in out]
    if alone:
        xs = [x for x, _ in out.values()] or [0.0]
        ys = [y for _, y in out.values()] or [0.0]
        cols = max(1, math.ceil(math.sqrt(len(alone) / 2)))
        x0, y0 = max(xs) + 200.0, min(ys)
        for i, n in enumerate(alone):
            out[n] = (round(x0 + (i % cols) * 50.0, 1), round(y0 + (i // cols) * 50.0, 1))
    return out
