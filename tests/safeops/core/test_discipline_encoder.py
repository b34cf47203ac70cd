"""The discipline guard's encoder (decision 0024): the shipped model loads and reads any text."""

from __future__ import annotations

import pytest

from safeops.core import discipline_encoder
from safeops.core.discipline_encoder import MAX_PIECES, read
from safeops.core.discipline_rules import verdict


def test_a_reading_is_three_shares_that_sum_to_one_and_never_change() -> None:
    first = read("kid vaping in the bathroom again")
    assert abs(first.discipline + first.safety + first.neither - 1.0) < 1e-4
    assert first.discipline > 0.9  # a plain discipline matter
    assert read("kid vaping in the bathroom again") == first
    danger = read("a man with a gun is in the parking lot")
    assert danger.safety > 0.9


@pytest.mark.parametrize(
    "text",
    [
        "x",
        "¿Dónde está la niña? 🙏🙏",
        "\u200b\t\n  espacios   y\u00a0tabs  ",
        "Long note. " * 2000,
        "\x00\x07 control characters",
    ],
)
def test_any_text_is_read_within_the_models_length(text: str) -> None:
    pieces = discipline_encoder._encoder().pieces(text)
    assert 2 < len(pieces) <= MAX_PIECES
    reading = read(text)
    assert 0.0 <= reading.discipline <= 1.0


def test_past_its_length_the_rest_of_a_text_is_not_read() -> None:
    """The encoder reads the first 128 pieces (about 90 English words); the rules' safety signs
    read the whole text, so a danger named at the end of a long text still lets it through."""
    opening = "Student keeps vaping in the bathroom during 3rd period. " * 20  # > 128 pieces
    assert read(opening + "Nothing else to add.") == read(opening + "He has a gun.")
    assert not read(opening + "He has a gun.").whole
    assert read("Student keeps vaping in the bathroom.").whole
    assert not verdict(opening + "He has a gun.").refused
    # a sign the encoder may overrule is kept when it lies past what the encoder read
    hat = "Can the police come talk to him about his hat?"
    assert verdict("He refuses to take his hat off. " + hat).refused
    assert not verdict(opening + hat).refused


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("KID CUSSING OUT THE SUB", "kid cussing out the sub"),
        ("KIDS GAMBLING IN THE BACK OF THE BUS!!", "kids gambling in the back of the bus!!"),
        ("Kid cussing out the sub", "Kid cussing out the sub"),  # not shouted
        ("SSO to RM 12", "SSO to RM 12"),  # fewer than 8 letters
        ("Send the SRO to the ISS room", "Send the SRO to the ISS room"),  # acronyms in a sentence
    ],
)
def test_a_shouted_text_is_read_in_lower_case(typed: str, read_as: str) -> None:
    """Capitals split into rare pieces: this model read "KID CUSSING OUT THE SUB" as safety
    (0.98) and the same words in lower case as discipline (1.00)."""
    assert discipline_encoder.as_read(typed) == read_as
    assert read(typed) == read(read_as)


def test_a_shouted_discipline_matter_is_refused() -> None:
    for text in ("KID CUSSING OUT THE SUB", "KID VAPEING IN THE BOYS ROOM RN PLS"):
        assert verdict(text).refused, text
