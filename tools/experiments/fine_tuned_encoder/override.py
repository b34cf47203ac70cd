"""Out-of-fold: what if the model may refuse a text with a safety sign when p(discipline) >= t2?
usage: override.py oof.json t"""
import json, sys
import numpy as np
import ftlib
rows = ftlib.load_train(); o = json.load(open(sys.argv[1])); t = float(sys.argv[2])
p = np.array([s[0] for s in o["scores"]]); lab = np.array([r["label"] for r in rows])
sign = np.array([r["safety"] for r in rows]); guard = np.array([r["guard_oof"] for r in rows])
print("discipline texts with a safety sign:", int((sign & (lab == "discipline")).sum()), "of", int((lab == "discipline").sum()))
for t2 in (0.9, 0.95, 0.97, 0.98, 0.99, 0.995, 0.998, 1.01):
    ref = np.where(sign, p >= t2, guard | (p >= t))
    print(f"t={t} t2={t2}: " + "  ".join(f"{l[:4]} {ref[lab == l].mean():6.1%} ({int(ref[lab == l].sum())})" for l in ftlib.LABELS))
