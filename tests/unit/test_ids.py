"""Server-assigned ids: the alphabet, even odds, and no bytes shared with a forked worker."""
from __future__ import annotations

import collections
import os
import string

import pytest

from chatsvc.aip import ids


def test_opaque_ids_use_62_characters_with_even_odds():
    drawn = "".join(ids.opaque_id(22) for _ in range(20_000))
    counts = collections.Counter(drawn)
    assert set(counts) == set(string.ascii_letters + string.digits)
    expected = len(drawn) / 62
    assert max(abs(c - expected) for c in counts.values()) < expected * 0.1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")
def test_a_forked_child_draws_other_ids_than_its_parent():
    ids.opaque_id()  # the parent holds buffered random bytes
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child)
        os.write(write, "".join(ids.opaque_id(22) for _ in range(8)).encode())
        os._exit(0)
    os.close(write)
    _, status = os.waitpid(child, 0)
    drawn_by_child = os.read(read, 1024).decode()
    os.close(read)
    assert status == 0
    assert drawn_by_child != "".join(ids.opaque_id(22) for _ in range(8))
