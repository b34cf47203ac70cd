"""Collect token ids used by non-blind training CSVs + wordfreq en/es top words -> trim_vocab_ids.json.
Blind files (BLIND_SETS) are not opened."""
import csv, glob, json, os, time, re
import e5torch
BLIND = {"discipline_holdout4.csv", "discipline_holdout5.csv", "discipline_holdout6.csv", "discipline_holdout7.csv",
         "discipline_holdout8.csv", "discipline_holdout9.csv", "discipline_holdout9_neutral.csv"}
src = open("/work/main/src/safeops/core/discipline_learn.py").read()
assert all(b in src for b in BLIND)
tok = e5torch.Tokenizer()
train = set(); ntext = 0; files = []
for p in sorted(glob.glob("/work/main/tests/safeops/core/*.csv")):
    if os.path.basename(p) in BLIND: continue
    files.append(os.path.basename(p))
    with open(p, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            train.update(tok.ids(r["text"], 10**6)); ntext += 1
print("train files", len(files), "texts", ntext, "distinct ids", len(train), flush=True)
from wordfreq import top_n_list
res = dict(train_files=files, n_train_texts=ntext, train=sorted(train))
for N in (50000, 100000):
    words = {}
    t = time.time()
    for lang in ("en", "es"):
        ws = top_n_list(lang, N)
        s = set()
        for w in ws:
            for v in {w, w.capitalize(), w.upper()}:
                s.update(tok.ids(v, 10**6))
        words[lang] = s
        print(N, lang, len(ws), "words ->", len(s), "ids", f"{time.time()-t:.0f}s", flush=True)
    both = words["en"] | words["es"]
    res[f"wf{N}"] = sorted(both)
    print(N, "wordfreq en+es ids", len(both), "union with train", len(both | train), "added over train", len(both - train), flush=True)
json.dump(res, open("trim_vocab_ids.json", "w"))
