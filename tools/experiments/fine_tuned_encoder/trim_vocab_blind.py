"""ONCE: blind sets, aggregate counts only (no text printed/stored). Per file: texts with >=1 token outside
kept sets; decisions of untrimmed vs trimmed int8 models at choice_K12_E3.json thresholds."""
import csv, json
import numpy as np
import e5torch, ftlib
import onnxruntime as ort
CH = json.load(open("choice_K12_E3.json"))
TA, = CH["alone"]["params"]; TC, = CH["combined"]["params"]; TO, TO2 = CH["override"]["params"]
V = json.load(open("trim_vocab_ids.json"))
SETS = {"trim": set(V["train"]) | set(V["wf100000"]) | {0, 1, 2, 3}, "trimtrain": set(V["train"]) | {0, 1, 2, 3}}
REMAP = {"trim": np.load("trim_vocab_remap.npy"), "trimtrain": np.load("trim_vocab_remap_trainonly.npy")}
MODELS = {"full": "trim_full_neutral.int8.onnx", "trim": "trim_trim_neutral.int8.onnx", "trimtrain": "trim_trimtrain_neutral.int8.onnx"}
def sess(p):
    so = ort.SessionOptions(); so.intra_op_num_threads = 2; so.inter_op_num_threads = 1
    return ort.InferenceSession(p, so, providers=["CPUExecutionProvider"])
S = {k: sess(v) for k, v in MODELS.items()}
def score(s, idl):
    out = np.zeros(len(idl)); order = sorted(range(len(idl)), key=lambda i: len(idl[i]))
    for b in range(0, len(order), 32):
        idx = order[b:b + 32]; x, mk = e5torch.batch([idl[i] for i in idx])
        out[idx] = s.run(None, dict(ids=x.numpy(), mask=mk.numpy()))[0]
    return out
tok = e5torch.Tokenizer()
g = json.load(open("guard.json"))["blind"]
tot, per = {}, []
def add(k, v):
    tot[k] = tot.get(k, 0) + v
for name in sorted({r["source"] for r in g}):
    with open("/work/main/tests/safeops/core/" + name, newline="", encoding="utf-8") as fh:
        texts = [r["text"] for r in csv.DictReader(fh)]
    meta = [r for r in g if r["source"] == name]
    assert len(meta) == len(texts) and [m["row"] for m in meta] == list(range(len(texts)))
    full_ids = [tok.ids(t, 10**6) for t in texts]
    ids = [tok.ids(t, ftlib.MAXLEN) for t in texts]
    del texts
    lab = np.array([m["label"] for m in meta]); sign = np.array([m["safety"] for m in meta]); guard = np.array([m["guard"] for m in meta])
    line = {"n": len(ids)}
    p = {"full": score(S["full"], ids)}
    for k in ("trim", "trimtrain"):
        line[f"{k}/texts_with_oov"] = sum(any(t not in SETS[k] for t in x) for x in full_ids)
        line[f"{k}/texts_with_oov_in_first128"] = sum(any(t not in SETS[k] for t in x) for x in ids)
        line[f"{k}/oov_tokens"] = sum(t not in SETS[k] for x in full_ids for t in x)
        line[f"{k}/tokens"] = sum(len(x) for x in full_ids)
        p[k] = score(S[k], [REMAP[k][x].tolist() for x in ids])
    dec = {k: {"model_alone": p[k] >= TA, "combined": ~sign & (guard | (p[k] >= TC)),
               "override": np.where(sign, p[k] >= TO2, guard | (p[k] >= TO))} for k in p}
    for k in ("trim", "trimtrain"):
        line[f"{k}/score_changed"] = int((p[k] != p["full"]).sum())
        line[f"{k}/max_abs_score_diff"] = float(np.abs(p[k] - p["full"]).max())
        for v in dec[k]:
            line[f"{k}/{v}/decisions_differ"] = int((dec[k][v] != dec["full"][v]).sum())
    for k in dec:
        for v in dec[k]:
            for l in ftlib.LABELS:
                if (lab == l).sum():
                    line[f"flagged/{k}/{v}/{l}"] = f"{int(dec[k][v][lab == l].sum())}/{int((lab == l).sum())}"
    for kk, vv in line.items():
        if isinstance(vv, int): add(kk, vv)
        elif kk.startswith("flagged"):
            a, b = map(int, vv.split("/")); x = tot.get(kk, "0/0").split("/"); tot[kk] = f"{int(x[0]) + a}/{int(x[1]) + b}"
        else: tot[kk] = max(tot.get(kk, 0.0), vv)
    per.append((name, line))
    print(name, json.dumps(line), flush=True)
print("TOTAL", json.dumps(tot, indent=1))
json.dump(dict(per_file=per, total=tot, choice=CH), open("trim_vocab_blind.json", "w"), indent=1)
