"""Choose thresholds on out-of-fold scores by the project's cost (discipline refused - 5 x safety
refused - 2 x neutral refused, tools/discipline_model.py), among those with safety refused <= 2%:
  alone:    refused iff p >= t
  combined: safety sign lets through; else refused iff guard or p >= t
  override: as combined, but a text with a safety sign is refused iff p >= t2
usage: choose.py oof.json  -> prints the choice and writes choice_<oof>.json"""
import json, sys
import numpy as np
import ftlib
rows = ftlib.load_train(); o = json.load(open(sys.argv[1]))
p = np.array([s[0] for s in o["scores"]]); lab = np.array([r["label"] for r in rows])
sign = np.array([r["safety"] for r in rows]); guard = np.array([r["guard_oof"] for r in rows])
grid = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 0.998, 1.01]


def score(ref):
    r = {l: (int(ref[lab == l].sum()), int((lab == l).sum())) for l in ftlib.LABELS}
    cost = r["discipline"][0] - 5 * r["safety"][0] - 2 * r["neutral"][0]
    return cost, r


def best(cands):
    ok = [(score(ref), params) for params, ref in cands]
    ok = [x for x in ok if x[0][1]["safety"][0] <= 0.02 * x[0][1]["safety"][1]]
    (cost, r), params = max(ok, key=lambda x: x[0][0])
    return dict(params=params, cost=cost, rates={l: f"{a / b:.1%} ({a}/{b})" for l, (a, b) in r.items()})


choice = {
    "alone": best([((t,), p >= t) for t in grid]),
    "combined": best([((t,), ~sign & (guard | (p >= t))) for t in grid]),
    "override": best([((t, t2), np.where(sign, p >= t2, guard | (p >= t))) for t in grid for t2 in grid]),
}
print(json.dumps(choice, indent=1))
json.dump(choice, open(sys.argv[1].replace("oof_", "choice_"), "w"), indent=1)
