"""Train on all training files, save head_final.pt, then measure ONCE on each BLIND_SETS file.
Blind texts are tokenized and scored only; nothing but aggregate counts is printed.
usage: FT_TOP=K FT_EPOCHS=E final_neutral.py choice_K..json  (thresholds chosen beforehand, choose.py)
Copy of final.py that also trains on the 400 neutral notes of neutral_notes_round10.csv (not blind);
writes head_final_K{K}_neutral.pt and blind_result_K{K}_neutral.json."""
import csv, json, sys, time
import numpy as np
import torch
import e5torch, ftlib
from ftlib import log

CH = json.load(open(sys.argv[1]))
TA, = CH["alone"]["params"]; TC, = CH["combined"]["params"]; TO, TO2 = CH["override"]["params"]
rows = ftlib.load_train()
EXTRA = "/work/main/tests/safeops/core/neutral_notes_round10.csv"
with open(EXTRA, newline="", encoding="utf-8") as fh:
    extra = [dict(source="neutral_notes_round10.csv", label=r["label"], text=r["text"]) for r in csv.DictReader(fh)]
assert len(extra) == 400 and all(r["label"] == "neutral" for r in extra)
rows = rows + extra
labels = [ftlib.LABELS.index(r["label"]) for r in rows]
cfg, base = e5torch.load_model()
tok = e5torch.Tokenizer()
t0 = time.time()
states = ftlib.lower_states(base, [tok.ids(r["text"], ftlib.MAXLEN) for r in rows], ftlib.K)
model = ftlib.train_head(base, states, labels, list(range(len(rows))), seed=0)
torch.save(model.state_dict(), f"{ftlib.HERE}/head_final_K{ftlib.K}_neutral.pt")
log(f"trained on {len(rows)} texts in {time.time() - t0:.0f}s")

g = json.load(open(f"{ftlib.HERE}/guard.json"))["blind"]
CORPUS = "/work/main/tests/safeops/core/"
tot = {}
out = []
for name in sorted({r["source"] for r in g}):
    with open(CORPUS + name, newline="", encoding="utf-8") as fh:
        texts = [r["text"] for r in csv.DictReader(fh)]
    xt = {r["text"] for r in extra}
    print(name, "exact overlap with added neutral notes:", sum(t in xt for t in texts), flush=True)
    meta = [r for r in g if r["source"] == name]
    assert len(meta) == len(texts) and [m["row"] for m in meta] == list(range(len(texts)))
    st = ftlib.lower_states(base, [tok.ids(t, ftlib.MAXLEN) for t in texts], ftlib.K)
    p = ftlib.predict(model, st, list(range(len(texts))))[:, 0]
    del texts
    lab = np.array([m["label"] for m in meta]); sign = np.array([m["safety"] for m in meta])
    guard = np.array([m["guard"] for m in meta])
    variants = {"guard": guard, "model_alone": p >= TA, "combined": ~sign & (guard | (p >= TC)),
                "override": np.where(sign, p >= TO2, guard | (p >= TO)), "no_safety_sign": ~sign}
    line = {}
    for v, ref in variants.items():
        for l in ftlib.LABELS:
            n = int((lab == l).sum())
            if n:
                line[f"{v}/{l}"] = (int(ref[lab == l].sum()), n)
                a, b = tot.get(f"{v}/{l}", (0, 0)); tot[f"{v}/{l}"] = (a + line[f"{v}/{l}"][0], b + n)
    out.append((name, line))
    print(name, json.dumps(line), flush=True)
print("TOTAL", json.dumps(tot))
json.dump(dict(choice=CH, extra_train=EXTRA, n_train=len(rows), K=ftlib.K, epochs=ftlib.EPOCHS, per_file=out, total=tot), open(f"{ftlib.HERE}/blind_result_K{ftlib.K}_neutral.json", "w"))
log(f"done {time.time() - t0:.0f}s")
