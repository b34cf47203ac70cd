"""Training texts only: does batch composition change int8 scores (dynamic activation quantization)?
Compares batch-32 (length-sorted) vs batch-1 scores of the untrimmed int8 model on every 5th training text."""
import csv, json
import numpy as np
import e5torch, ftlib
import onnxruntime as ort
V = json.load(open("trim_vocab_ids.json"))
so = ort.SessionOptions(); so.intra_op_num_threads = 2; so.inter_op_num_threads = 1
s = ort.InferenceSession("trim_full_neutral.int8.onnx", so, providers=["CPUExecutionProvider"])
tok = e5torch.Tokenizer(); texts = []
for f in V["train_files"]:
    with open("/work/main/tests/safeops/core/" + f, newline="", encoding="utf-8") as fh:
        texts += [r["text"] for r in csv.DictReader(fh)]
ids = [tok.ids(t, ftlib.MAXLEN) for t in texts][::5]
def run(idl):
    x, m = e5torch.batch(idl); return s.run(None, dict(ids=x.numpy(), mask=m.numpy()))[0]
order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
pb = np.zeros(len(ids))
for b in range(0, len(order), 32):
    idx = order[b:b + 32]; pb[idx] = run([ids[i] for i in idx])
p1 = np.array([float(run([x])[0]) for x in ids])
d = np.abs(pb - p1)
print(json.dumps(dict(n=len(ids), changed=int((d > 0).sum()), max_abs=float(d.max()), median_abs=float(np.median(d)),
      flips={str(t): int(((pb >= t) != (p1 >= t)).sum()) for t in (0.93, 0.95, 0.98)})))
