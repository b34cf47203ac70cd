"""Training of the guard's two models (`discipline_model`) from labelled texts, with NumPy and
SciPy: L2-regularised logistic regressions (discipline against safety and neutral notes; safety
against discipline),
deterministic (full-batch L-BFGS from zero), weights rounded to 4 decimals so the written file
is the same on every run. Used by `tools/discipline_model.py` (train, cross-validate) and the
test that retraining gives the committed file.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import optimize, sparse

from safeops.core.discipline_model import features, scale
from safeops.core.discipline_rules import _normal

# Chosen by leave-one-file-out cross-validation (tools/discipline_model.py cv; decision 0023).
STRENGTH = 0.1  # L2 penalty on the weights (the bias is not penalised)
MIN_TEXTS = 2  # a feature is kept when at least this many training texts have it
NEUTRAL_WEIGHT = 2.0  # a neutral note counts this many times in the loss
# Blind sets, measured once when they came and never trained on (floors in the guard test).
# holdout4-10 served as validation sets and were folded into the encoder's training in session 21
# (`boundary_holdout*.csv`, which the linear models do not read).
BLIND_SETS = frozenset(
    {
        "discipline_holdout11.csv",
        "discipline_holdout11_neutral.csv",
        "discipline_holdout12.csv",
        "discipline_holdout13.csv",
        "discipline_holdout14.csv",
        "discipline_holdout15.csv",
        "discipline_holdout16.csv",
    }
)


@dataclass(frozen=True)
class Example:
    text: str
    label: str  # "discipline", "safety" or "neutral"
    source: str  # the file it came from


def training_files(folder: Path) -> list[Path]:
    """The labelled files of `folder` the model learns from: all but the blind sets."""
    return sorted(p for p in folder.glob("discipline_*.csv") if p.name not in BLIND_SETS)


def read_examples(paths: Iterable[Path]) -> list[Example]:
    rows: list[Example] = []
    for path in sorted(paths):
        with path.open(newline="", encoding="utf-8") as handle:
            rows += [Example(r["text"], r["label"], path.name) for r in csv.DictReader(handle)]
    return rows


def vocabulary(texts: Sequence[set[str]]) -> list[str]:
    counts = Counter(feature for found in texts for feature in found)
    return sorted(feature for feature, n in counts.items() if n >= MIN_TEXTS)


def matrix(texts: Sequence[set[str]], columns: dict[str, int]) -> sparse.csr_matrix:
    """Presence of each feature, scaled by the number present (`discipline_model.scale`)."""
    indptr = [0]
    indices: list[int] = []
    values: list[float] = []
    for found in texts:
        row = sorted(columns[f] for f in found if f in columns)
        indices += row
        values += [scale(len(row))] * len(row)
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.array(values), np.array(indices, dtype=np.int64), np.array(indptr)),
        shape=(len(texts), len(columns)),
    )


def train(
    examples: Sequence[Example], *, positive: str = "discipline"
) -> tuple[float, dict[str, float]]:
    """(bias, {feature: weight}) of the logistic regression of `positive` against the other
    labels, rounded to 4 decimals."""
    found = [features(_normal(e.text)) for e in examples]
    names = vocabulary(found)
    x = matrix(found, {name: i for i, name in enumerate(names)})
    y = np.array([e.label == positive for e in examples], dtype=float)
    # Each class counts as much as the other (`positive` / not), neutral notes more.
    share = y.mean()
    weight = np.where(y == 1.0, 0.5 / share, 0.5 / (1.0 - share))
    weight *= np.array([NEUTRAL_WEIGHT if e.label == "neutral" else 1.0 for e in examples])
    weight /= weight.mean()

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        bias, w = params[0], params[1:]
        z = x @ w + bias
        # log(1 + e^z) - y z, stably
        value = float(np.sum(weight * (np.logaddexp(0.0, z) - y * z))) + 0.5 * STRENGTH * float(
            w @ w
        )
        residual = weight * (1.0 / (1.0 + np.exp(-z)) - y)
        gradient = np.concatenate(([residual.sum()], x.T @ residual + STRENGTH * w))
        return value, gradient

    result = optimize.minimize(
        loss,
        np.zeros(len(names) + 1),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 2000, "gtol": 1e-6, "ftol": 1e-10},
    )
    params = np.round(result.x, 4)
    return float(params[0]), {name: float(w) for name, w in zip(names, params[1:], strict=True)}


def train_safety(examples: Sequence[Example]) -> tuple[float, dict[str, float]]:
    """The safety model: safety texts against discipline texts (no neutral notes: it decides
    only between the two, for a text a discipline rule reads)."""
    return train([e for e in examples if e.label in ("discipline", "safety")], positive="safety")


def dumps(model: tuple[float, dict[str, float]]) -> str:
    """The weights file's text: one feature a line, sorted, so a diff reads."""
    bias, weights = model
    lines = [f"  {json.dumps(k)}: {v:.4f}" for k, v in sorted(weights.items())]
    body = ",\n".join(lines)
    return f'{{\n"bias": {bias:.4f},\n"weights": {{\n{body}\n}}\n}}\n'
