"""planning.rng.as_generator: the one seed normaliser."""

from __future__ import annotations

import numpy as np
import pytest

from planning.rng import as_generator


def test_int_seed_is_reproducible_and_generator_passes_through() -> None:
    assert as_generator(3).random() == as_generator(3).random()
    assert as_generator(np.int64(3)).random() == as_generator(3).random()  # type: ignore[arg-type]
    rng = np.random.default_rng(0)
    assert as_generator(rng) is rng
    assert isinstance(as_generator(None), np.random.Generator)


@pytest.mark.parametrize("seed", [True, 1.5, "7", [1]])
def test_other_types_are_refused(seed: object) -> None:
    with pytest.raises(TypeError, match="seed"):
        as_generator(seed)  # type: ignore[arg-type]


def test_negative_seed_is_refused() -> None:
    with pytest.raises(ValueError, match="seed"):
        as_generator(-1)
