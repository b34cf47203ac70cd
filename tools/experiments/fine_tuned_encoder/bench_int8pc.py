"""Batch-1 latency of the per-channel int8 ONNX model (guard_e5.int8pc.onnx), 1 and 2 threads."""
import time, numpy as np, onnxruntime as ort
import e5torch, ftlib
tok = e5torch.Tokenizer()
ids = [tok.ids(r["text"]) for r in ftlib.load_train()][::34][:200]
for th in (1, 2):
    so = ort.SessionOptions(); so.intra_op_num_threads = th; so.inter_op_num_threads = 1
    s = ort.InferenceSession(f"{ftlib.HERE}/guard_e5.int8pc.onnx", so, providers=["CPUExecutionProvider"])
    feeds = [dict(ids=x.numpy(), mask=m.numpy()) for x, m in (e5torch.batch([i]) for i in ids)]
    for f in feeds[:10]: s.run(None, f)
    t = time.perf_counter()
    for f in feeds: s.run(None, f)
    print(f"int8 per-channel, {th} thread(s): {(time.perf_counter() - t) / len(feeds) * 1000:.2f} ms/text")
