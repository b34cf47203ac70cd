"""Shared pieces: data from guard.json, tokens, frozen lower-layer cache, fine-tuning of the top
layers + a 3-class head (discipline / safety / neutral)."""
import copy, json, math, os, random, time
import numpy as np
import torch
from torch import nn
import e5torch

torch.set_num_threads(2)
HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = ("discipline", "safety", "neutral")
K = int(os.environ.get("FT_TOP", 6))        # fine-tuned top layers
EPOCHS = int(os.environ.get("FT_EPOCHS", 3))
BS = 32
LR, HEAD_LR = 5e-5, 1e-3
MAXLEN = 128


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


class Head(nn.Module):
    def __init__(self, base, k):
        super().__init__()
        self.top = copy.deepcopy(base.layers[12 - k:])
        self.drop = nn.Dropout(0.1)
        self.out = nn.Linear(384, 3)

    def forward(self, h, mask):
        bias = (1.0 - mask[:, None, None, :].to(h.dtype)) * -1e9
        for layer in self.top:
            h = layer(h, bias)
        m = mask.unsqueeze(-1).to(h.dtype)
        return self.out(self.drop((h * m).sum(1) / m.sum(1)))


def lower_states(base, id_lists, k):
    """Frozen outputs of the first 12-k layers, one [T,384] tensor per text."""
    order = sorted(range(len(id_lists)), key=lambda i: len(id_lists[i]))
    out = [None] * len(id_lists)
    with torch.no_grad():
        for s in range(0, len(order), 64):
            idx = order[s:s + 64]
            x, mask = e5torch.batch([id_lists[i] for i in idx])
            h = base.run_layers(base.embed(x, mask), mask, 0, 12 - k)
            for j, i in enumerate(idx):
                out[i] = h[j, :len(id_lists[i])].clone()
    return out


def collate(states, idx):
    T = max(states[i].shape[0] for i in idx)
    h = torch.zeros(len(idx), T, 384)
    mask = torch.zeros(len(idx), T, dtype=torch.long)
    for j, i in enumerate(idx):
        n = states[i].shape[0]
        h[j, :n] = states[i]
        mask[j, :n] = 1
    return h, mask


def batches(states, idx, shuffle, rng):
    idx = list(idx)
    if shuffle:
        rng.shuffle(idx)
    chunks = [sorted(idx[s:s + BS * 16], key=lambda i: states[i].shape[0]) for s in range(0, len(idx), BS * 16)]
    out = [c[s:s + BS] for c in chunks for s in range(0, len(c), BS)]
    if shuffle:
        rng.shuffle(out)
    return out


def train_head(base, states, labels, idx, seed=0):
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = Head(base, K)
    y = torch.tensor(labels)
    counts = np.bincount(np.array(labels)[idx], minlength=3).astype(float)
    weight = torch.tensor(len(idx) / (3 * np.maximum(counts, 1)), dtype=torch.float32)
    lossf = nn.CrossEntropyLoss(weight=weight)
    opt = torch.optim.AdamW([{"params": model.top.parameters(), "lr": LR},
                             {"params": model.out.parameters(), "lr": HEAD_LR}], weight_decay=0.01)
    steps = EPOCHS * math.ceil(len(idx) / BS)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm))))
    model.train()
    for ep in range(EPOCHS):
        t0, tot, n = time.time(), 0.0, 0
        for b in batches(states, idx, True, rng):
            h, mask = collate(states, b)
            loss = lossf(model(h, mask), y[b])
            opt.zero_grad(); loss.backward(); opt.step(); sched.step()
            tot += float(loss) * len(b); n += len(b)
        log(f"  epoch {ep + 1}/{EPOCHS} loss {tot / n:.4f} {time.time() - t0:.0f}s")
    model.eval()
    return model


def predict(model, states, idx):
    probs = {}
    with torch.no_grad():
        for b in batches(states, idx, False, None):
            h, mask = collate(states, b)
            p = torch.softmax(model(h, mask), -1).numpy()
            for j, i in enumerate(b):
                probs[i] = p[j]
    return np.array([probs[i] for i in idx])


def load_train():
    g = json.load(open(os.path.join(HERE, "guard.json")))
    return g["train"]


def groups(rows, n=4):
    """The project's folds (one per labelled file, neutral notes dealt among them) grouped into
    n folds of similar size (greedy, largest first)."""
    sizes = {}
    for r in rows:
        sizes[r["fold"]] = sizes.get(r["fold"], 0) + 1
    bins = [[] for _ in range(n)]
    tot = [0] * n
    for f in sorted(sizes, key=lambda f: (-sizes[f], f)):
        j = tot.index(min(tot))
        bins[j].append(f); tot[j] += sizes[f]
    return bins
