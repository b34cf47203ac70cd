"""Build untrimmed and trimmed (word table = kept ids) ONNX int8 models of head_final_K12_neutral.pt,
compare scores on the non-blind training texts. Writes trim_*.onnx and trim_vocab_build_trainonly.json."""
import csv, glob, json, os, sys, time
import numpy as np
import torch
from torch import nn
import e5torch, ftlib
torch.set_num_threads(2)
V = json.load(open("trim_vocab_ids.json"))
KEEP = sorted(set(V["train"]) | {0, 1, 2, 3})
cfg, base = e5torch.load_model()
VOC = cfg["VOC"]; print("VOC", VOC, "kept", len(KEEP), flush=True)
remap = np.full(VOC, KEEP.index(cfg["unk"]), dtype=np.int64); remap[KEEP] = np.arange(len(KEEP))
np.save("trim_vocab_remap_trainonly.npy", remap)
head = ftlib.Head(base, ftlib.K); head.load_state_dict(torch.load("head_final_K12_neutral.pt")); head.eval()

class Full(nn.Module):
    def __init__(self, word):
        super().__init__()
        self.word, self.base, self.head = word, base, head
    def forward(self, ids, mask):
        x = self.base.eln(self.word(ids) + self.base.pos.weight[:ids.shape[1]] + self.base.ttype)
        h = self.base.run_layers(x, mask, 0, 12 - ftlib.K)
        return torch.softmax(self.head(h, mask), -1)[:, 0]

small = nn.Embedding(len(KEEP), 384); small.weight.data = base.word.weight.data[KEEP].clone()
from onnxruntime.quantization import quantize_dynamic, QuantType
import onnxruntime as ort
res = dict(kept=len(KEEP), VOC=VOC)
paths = {}
for tag, word in (("trimtrain", small),):
    m = Full(word).eval()
    p32 = f"trim_{tag}_neutral.onnx"; p8 = f"trim_{tag}_neutral.int8.onnx"
    x, mk = e5torch.batch([[0, 5, 2]])
    torch.onnx.export(m, (x, mk), p32, input_names=["ids", "mask"], output_names=["p"],
                      dynamic_axes={"ids": {0: "b", 1: "t"}, "mask": {0: "b", 1: "t"}, "p": {0: "b"}},
                      opset_version=17, dynamo=False)
    quantize_dynamic(p32, p8, weight_type=QuantType.QInt8)
    res[f"{tag}_fp32_MB"] = os.path.getsize(p32) / 1e6; res[f"{tag}_int8_MB"] = os.path.getsize(p8) / 1e6
    paths[tag] = (p32, p8)
    print(tag, res, flush=True)
# fp16 estimate: all fp32 initializers halved
res["trimtrain_fp16_MB_est"] = res["trimtrain_fp32_MB"] / 2
json.dump(res, open("trim_vocab_build_trainonly.json", "w"), indent=1)

def sess(p):
    so = ort.SessionOptions(); so.intra_op_num_threads = 2; so.inter_op_num_threads = 1
    return ort.InferenceSession(p, so, providers=["CPUExecutionProvider"])
def score(s, idl):
    out = np.zeros(len(idl)); order = sorted(range(len(idl)), key=lambda i: len(idl[i]))
    for b in range(0, len(order), 32):
        idx = order[b:b + 32]; x, mk = e5torch.batch([idl[i] for i in idx])
        out[idx] = s.run(None, dict(ids=x.numpy(), mask=mk.numpy()))[0]
    return out
tok = e5torch.Tokenizer()
texts = []
for f in V["train_files"]:
    with open("/work/main/tests/safeops/core/" + f, newline="", encoding="utf-8") as fh:
        texts += [r["text"] for r in csv.DictReader(fh)]
ids = [tok.ids(t, ftlib.MAXLEN) for t in texts]
rids = [remap[x].tolist() for x in ids]
assert all(k in set(KEEP) for x in ids for k in x)
TH = (0.93, 0.95, 0.98)
pf8 = score(sess("trim_full_neutral.int8.onnx"), ids); pt8 = score(sess(paths["trimtrain"][1]), rids)
res["train_n"] = len(ids); res["train_int8_maxabsdiff"] = float(np.abs(pf8 - pt8).max())
res["train_int8_decisions_differ"] = {str(t): int(((pf8 >= t) != (pt8 >= t)).sum()) for t in TH}
print(json.dumps(res, indent=1), flush=True)
json.dump(res, open("trim_vocab_build_trainonly.json", "w"), indent=1)
