"""Summarises a py-spy collapsed-stack file (`py-spy record -f raw`): the functions with the most samples on
top of the stack (self time) and anywhere in the stack (inclusive time), as shares of all samples.

    .venv/bin/python bench/profile_summary.py /tmp/chatsvc-profile/sqlite-create.txt [--top 25] [--match chatsvc]
"""
from __future__ import annotations

import argparse
import collections
import re
from pathlib import Path

_LINE = re.compile(r"^(.*) (\d+)$")


def _frame(raw: str) -> str:
    # py-spy frames read "function (path/to/file.py:line)"; the line number would split one function apart.
    name, _, where = raw.partition(" (")
    path = where.rsplit(":", 1)[0]
    short = "/".join(path.split("/")[-2:])
    return f"{name} ({short})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", default="", help="inclusive table: only frames containing this")
    args = parser.parse_args()
    own, inclusive = collections.Counter(), collections.Counter()
    total = 0
    for line in Path(args.file).read_text().splitlines():
        found = _LINE.match(line)
        if not found:
            continue
        stack, count = found.group(1).split(";"), int(found.group(2))
        frames = [_frame(f) for f in stack if f]
        total += count
        if frames:
            own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
    print(f"{total} samples")
    print("self:")
    for frame, count in own.most_common(args.top):
        print(f"  {100 * count / total:5.1f}%  {frame}")
    print("inclusive:")
    shown = [(f, c) for f, c in inclusive.most_common() if args.match in f][:args.top]
    for frame, count in shown:
        print(f"  {100 * count / total:5.1f}%  {frame}")


if __name__ == "__main__":
    main()
