"""Run with /work/main/.venv/bin/python. Writes guard.json: for every text of the training files
and the blind sets (by file and row index; blind texts are NOT written): label, committed guard
verdict, safety_sign, plus for training texts an out-of-fold guard verdict (leave-one-file-out
with the project's fold scheme, committed thresholds REFUSE_ALONE/LET_THROUGH; not nested)."""
import json, sys, time
sys.path.insert(0, "/work/main/src"); sys.path.insert(0, "/work/main/tools")
import discipline_model as dm  # tools/discipline_model.py
from safeops.core import discipline_learn as learn
from safeops.core.discipline_rules import verdict, safety_sign, REFUSE_ALONE, LET_THROUGH

t0 = time.time()
ex = dm._labelled()
rules = dm._Rules(ex)
folds = dm._folds(ex)
names = sorted(folds)
oof = dm._out_of_fold(ex, folds, names)
fold_of = {i: n for n in names for i in folds[n]}
train = []
for i, e in enumerate(ex):
    train.append(dict(source=e.source, label=e.label, fold=fold_of[i], text=e.text,
                      guard=verdict(e.text).refused, safety=safety_sign(e.text) is not None,
                      guard_oof=dm._refused(rules, i, oof[i], REFUSE_ALONE, LET_THROUGH)))
blind = []
for name in sorted(learn.BLIND_SETS):
    for j, e in enumerate(learn.read_examples([dm.CORPUS / name])):
        blind.append(dict(source=name, row=j, label=e.label, guard=verdict(e.text).refused,
                          safety=safety_sign(e.text) is not None))
json.dump(dict(train=train, blind=blind), open("/work/scratch/ft/guard.json", "w"))
print(len(train), len(blind), f"{time.time()-t0:.0f}s")
