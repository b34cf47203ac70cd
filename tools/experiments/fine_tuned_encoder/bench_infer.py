"""Inference cost per text (batch of 1) on CPU: torch with 1 and 2 threads, ONNX Runtime fp32
and int8 (dynamic quantization) with 1 and 2 threads; agreement of int8 with torch; sizes."""
import os, sys, time, json
import numpy as np
import torch
from torch import nn
import e5torch, ftlib

cfg, base = e5torch.load_model()
head = ftlib.Head(base, ftlib.K)
head.load_state_dict(torch.load(f"{ftlib.HERE}/head_final_K{ftlib.K}.pt"))
head.eval()


class Full(nn.Module):
    def __init__(self):
        super().__init__()
        self.base, self.head = base, head

    def forward(self, ids, mask):
        h = self.base.run_layers(self.base.embed(ids, mask), mask, 0, 12 - ftlib.K)
        return torch.softmax(self.head(h, mask), -1)[:, 0]


full = Full().eval()
tok = e5torch.Tokenizer()
texts = [r["text"] for r in ftlib.load_train()][::34][:200]
ids = [tok.ids(t) for t in texts]
res = {}
for th in (1, 2):
    torch.set_num_threads(th)
    with torch.no_grad():
        for x in ids[:10]:
            full(*e5torch.batch([x]))
        t = time.perf_counter()
        p_torch = [float(full(*e5torch.batch([x]))) for x in ids]
    res[f"torch_{th}thr_ms"] = (time.perf_counter() - t) / len(ids) * 1000
t = time.perf_counter()
for x in texts: tok.ids(x)
res["tokenize_ms"] = (time.perf_counter() - t) / len(texts) * 1000
print(res, flush=True)

onnx_path = f"{ftlib.HERE}/guard_e5.onnx"
x, m = e5torch.batch([ids[0]])
torch.onnx.export(full, (x, m), onnx_path, input_names=["ids", "mask"], output_names=["p"],
                  dynamic_axes={"ids": {0: "b", 1: "t"}, "mask": {0: "b", 1: "t"}, "p": {0: "b"}},
                  opset_version=17, dynamo=False)
from onnxruntime.quantization import quantize_dynamic, QuantType
q_path = f"{ftlib.HERE}/guard_e5.int8.onnx"
quantize_dynamic(onnx_path, q_path, weight_type=QuantType.QInt8)
import onnxruntime as ort
for path, tag in ((onnx_path, "ort_fp32"), (q_path, "ort_int8")):
    for th in (1, 2):
        so = ort.SessionOptions(); so.intra_op_num_threads = th; so.inter_op_num_threads = 1
        s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
        feeds = [dict(ids=e5torch.batch([x])[0].numpy(), mask=e5torch.batch([x])[1].numpy()) for x in ids]
        for f in feeds[:10]: s.run(None, f)
        t = time.perf_counter()
        p = [float(s.run(None, f)[0][0]) for f in feeds]
        res[f"{tag}_{th}thr_ms"] = (time.perf_counter() - t) / len(ids) * 1000
    d = np.abs(np.array(p) - np.array(p_torch))
    thr = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
    res[f"{tag}_maxdiff"] = float(d.max())
    res[f"{tag}_decisions_differ"] = int(((np.array(p) >= thr) != (np.array(p_torch) >= thr)).sum())
    res[f"{tag}_MB"] = os.path.getsize(path) / 1e6
import onnxruntime, importlib.util
res["onnxruntime_pkg_MB"] = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(os.path.dirname(onnxruntime.__file__)) for f in fs) / 1e6
res["torch_pkg_MB"] = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(os.path.dirname(torch.__file__)) for f in fs) / 1e6
res["e5_q4_bin_MB"] = os.path.getsize(e5torch.BIN) / 1e6
res["head_final_pt_MB"] = os.path.getsize(f"{ftlib.HERE}/head_final_K{ftlib.K}.pt") / 1e6
res["n_texts"] = len(ids); res["mean_tokens"] = float(np.mean([len(x) for x in ids]))
print(json.dumps(res, indent=1))
json.dump(res, open(f"{ftlib.HERE}/bench_infer.json", "w"), indent=1)
