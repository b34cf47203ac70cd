"""Out-of-fold scores of the fine-tuned e5 (4 folds by file) on the training files -> oof.json."""
import json, time
import numpy as np
import e5torch, ftlib
from ftlib import log

rows = ftlib.load_train()
labels = [ftlib.LABELS.index(r["label"]) for r in rows]
cfg, base = e5torch.load_model()
tok = e5torch.Tokenizer()
t0 = time.time()
ids = [tok.ids(r["text"], ftlib.MAXLEN) for r in rows]
log(f"{len(rows)} texts, mean tokens {np.mean([len(x) for x in ids]):.1f}, max {max(len(x) for x in ids)}")
states = ftlib.lower_states(base, ids, ftlib.K)
log(f"lower {12 - ftlib.K} layers cached in {time.time() - t0:.0f}s")
bins = ftlib.groups(rows)
scores = [None] * len(rows)
fold_no = [None] * len(rows)
for g, files in enumerate(bins):
    test = [i for i, r in enumerate(rows) if r["fold"] in files]
    train = [i for i, r in enumerate(rows) if r["fold"] not in files]
    log(f"fold {g}: {len(train)} train, {len(test)} test; {files}")
    t1 = time.time()
    model = ftlib.train_head(base, states, labels, train, seed=g)
    p = ftlib.predict(model, states, test)
    for j, i in enumerate(test):
        scores[i] = p[j].tolist(); fold_no[i] = g
    acc = np.mean(np.argmax(p, 1) == np.array(labels)[test])
    log(f"fold {g} done in {time.time() - t1:.0f}s, 3-class accuracy {acc:.3f}")
json.dump(dict(K=ftlib.K, epochs=ftlib.EPOCHS, bins=bins, scores=scores, fold=fold_no),
          open(f"{ftlib.HERE}/oof_K{ftlib.K}_E{ftlib.EPOCHS}.json", "w"))
log(f"total {time.time() - t0:.0f}s")
