"""What counts as a unicode emoji for a reaction. Python's Unicode tables lag behind new emoji, so code
points of the emoji blocks are accepted whatever their (possibly unassigned) category."""
from __future__ import annotations

import unicodedata

from chatsvc.domain.errors import InvalidArgument

MAX_EMOJI_CODE_POINTS = 32  # well above the longest emoji sequences (families, tagged flags: about ten)
_KEYCAP = "\u20e3"
_KEYCAP_BASES = frozenset("#*0123456789")
# Emoji whose code points are punctuation rather than symbols.
_PUNCTUATION_EMOJI = frozenset("\u203c\u2049\u3030\u303d")
_JOINERS = frozenset("\u200d\ufe0e\ufe0f" + _KEYCAP)  # zero-width joiner, variation selectors, keycap


def _emoji_block(code: int) -> bool:
    return 0x1F000 <= code <= 0x1FAFF


def _skin_tone_or_tag(code: int) -> bool:
    return 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F


def is_emoji(text: str) -> bool:
    """Emoji symbols, optionally with skin tones, joiners, variation selectors, tags, or a keycap."""
    if not text or len(text) > MAX_EMOJI_CODE_POINTS:
        return False
    has_base = False
    for ch in text:
        code = ord(ch)
        if ch in _JOINERS or _skin_tone_or_tag(code):
            continue
        if _emoji_block(code) or unicodedata.category(ch) == "So" or ch in _PUNCTUATION_EMOJI:
            has_base = True
        elif ch in _KEYCAP_BASES and _KEYCAP in text:
            has_base = True
        else:
            return False
    return has_base


def check_unicode(text: str, field: str = "reaction.emoji.unicode") -> None:
    if not is_emoji(text):
        raise InvalidArgument.field(field, "must be a unicode emoji, such as 🙂")
