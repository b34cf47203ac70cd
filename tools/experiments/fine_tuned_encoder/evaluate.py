"""Out-of-fold figures from oof_*.json + guard.json: the model alone and combined with the guard.
Combined: a safety sign lets through; else refused if the guard refuses OR p(discipline) >= t.
usage: evaluate.py oof_K6_E3.json"""
import json, sys
import numpy as np
import ftlib

rows = ftlib.load_train()
o = json.load(open(sys.argv[1]))
p = np.array([s[0] for s in o["scores"]])
lab = np.array([r["label"] for r in rows])
sign = np.array([r["safety"] for r in rows])
gkey = sys.argv[2] if len(sys.argv) > 2 else "guard_oof"
guard = np.array([r[gkey] for r in rows])


def rates(ref):
    return {l: (int(ref[lab == l].sum()), int((lab == l).sum())) for l in ftlib.LABELS}


def fmt(r):
    return "  ".join(f"{l[:4]} {a / b:6.1%} ({a}/{b})" for l, (a, b) in r.items())


print(f"guard ({gkey}) alone:   ", fmt(rates(guard)))
print("3-class argmax alone:  ", fmt(rates(np.argmax(np.array(o["scores"]), 1) == 0)))
grid = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995]
for t in grid:
    alone = p >= t
    comb = ~sign & (guard | alone)
    r, c = rates(alone), rates(comb)
    cost = c["discipline"][0] - 5 * c["safety"][0] - 2 * c["neutral"][0]
    print(f"t={t:5.3f} model alone: {fmt(r)} | combined: {fmt(c)} | cost {cost}")
