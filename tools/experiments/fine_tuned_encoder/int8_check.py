"""Agreement of ONNX int8 variants with the torch/fp32 model (final K12 model) on all training
texts (in-sample: a check of quantization error only, not of accuracy) at threshold argv[1]."""
import sys, time, numpy as np, onnxruntime as ort
from onnxruntime.quantization import quantize_dynamic, QuantType
import e5torch, ftlib
thr = float(sys.argv[1])
tok = e5torch.Tokenizer()
rows = ftlib.load_train()
ids = [tok.ids(r["text"]) for r in rows]
base = f"{ftlib.HERE}/guard_e5.onnx"
pc = f"{ftlib.HERE}/guard_e5.int8pc.onnx"
quantize_dynamic(base, pc, weight_type=QuantType.QInt8, per_channel=True)
def run(path):
    so = ort.SessionOptions(); so.intra_op_num_threads = 2
    s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    out = np.zeros(len(ids)); t = time.perf_counter()
    for i in range(0, len(ids), 32):
        x, m = e5torch.batch(ids[i:i + 32])
        out[i:i + 32] = s.run(None, dict(ids=x.numpy(), mask=m.numpy()))[0]
    return out, time.perf_counter() - t
ref, t_ref = run(base)
for path in (f"{ftlib.HERE}/guard_e5.int8.onnx", pc):
    p, t = run(path)
    print(path.split("/")[-1], f"decisions differ {int(((p >= thr) != (ref >= thr)).sum())}/{len(ids)}",
          f"mean |dp| {np.abs(p - ref).mean():.4f}", f"batch32 time {t:.0f}s vs fp32 {t_ref:.0f}s", flush=True)
