"""The compiled automaton finds what pyahocorasick finds, in the same order, on any text."""

from __future__ import annotations

import random
import string

import ahocorasick
import pytest

from aupguard.engine.detectors import automaton


def both(keys: dict[str, object]) -> tuple[object, ahocorasick.Automaton]:
    assert automaton.compiled(), "_automaton was not built: install a C compiler, reinstall"
    ours, theirs = automaton.new_automaton(), ahocorasick.Automaton()
    for key, value in keys.items():
        ours.add_word(key, value)
        theirs.add_word(key, value)
    ours.make_automaton()
    theirs.make_automaton()
    return ours, theirs


@pytest.mark.parametrize("seed", range(8))
def test_the_same_hits_as_pyahocorasick_on_random_keys_and_texts(seed: int) -> None:
    rnd = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    letters = "abcde'\x01" if seed % 2 else string.ascii_lowercase + string.digits
    keys = {"".join(rnd.choices(letters, k=rnd.randint(1, 6))): n for n in range(rnd.randint(1, 300))}
    keys.update({"ab": "short", "aab": "longer", "b": "suffix"})  # keys that end inside each other
    ours, theirs = both(keys)
    assert len(ours) == len(theirs) and dict(ours.items()) == dict(theirs.items())
    spaces = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "  "]
    others = ["Z", "é", "ł", "日", "\x1c", "-", ".", "😀"]
    for _ in range(200):
        text = "".join(
            rnd.choice(letters) if rnd.random() < 0.8 else rnd.choice(spaces + others)
            for _ in range(rnd.randint(0, 200))
        )
        for ignore in (True, False):
            expected = list(theirs.iter(text, ignore_white_space=ignore))
            assert ours.iter(text, ignore_white_space=ignore) == expected, (text, ignore)


def test_a_key_added_again_takes_its_new_value_and_non_ascii_keys_are_refused() -> None:
    ours, _theirs = both({"smith": 1})
    ours.add_word("smith", 2)
    ours.make_automaton()
    assert ours.iter("j smith", ignore_white_space=True) == [(6, 2)]
    with pytest.raises(ValueError, match="ASCII"):
        ours.add_word("łukasz", 3)
