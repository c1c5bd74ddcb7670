"""A message's formatted_text in Markdown (MARKUP_SYNTAX_MARKDOWN) instead of Chat's own markup.

Chat writes bold as `*b*`, strikethrough as `~s~` and custom links as `<url|text>`; Markdown (CommonMark with
the strikethrough extension) writes `**b**`, `~~s~~` and `[text](url)`. Italic `_i_`, monospace, monospace
blocks, bulleted lists, block quotes, mentions (`<users/{user}>`) and custom emoji (`:name:`) are written the
same way in both and pass through. Nothing inside monospace is converted.
"""
from __future__ import annotations

import re

_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_LINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]*:[^|<>\s]+)\|([^<>]+)>")
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])")
_STRIKE = re.compile(r"(?<![\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])")


def _convert(text: str) -> str:
    text = _LINK.sub(lambda m: f"[{m.group(2)}]({m.group(1)})", text)
    text = _BOLD.sub(r"**\1**", text)
    return _STRIKE.sub(r"~~\1~~", text)


def to_markdown(formatted_text: str) -> str:
    out, last = [], 0
    for code in _CODE.finditer(formatted_text):
        out += [_convert(formatted_text[last:code.start()]), code.group()]
        last = code.end()
    out.append(_convert(formatted_text[last:]))
    return "".join(out)
