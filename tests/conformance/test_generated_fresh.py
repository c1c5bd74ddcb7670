"""generated/ is committed: it must be exactly what scripts/gen_protos.sh makes from protos/ right now."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GENERATED = REPO / "generated"


def _tree(root: Path) -> dict[str, bytes]:
    """Relative path -> content of every file under root; Python's bytecode caches are not generated output."""
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def test_generated_is_fresh(tmp_path):
    out = tmp_path / "generated"
    proc = subprocess.run(
        ["bash", str(REPO / "scripts" / "gen_protos.sh"), str(out)],
        cwd=REPO,
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, f"scripts/gen_protos.sh failed:\n{proc.stdout}{proc.stderr}"

    committed, fresh = _tree(GENERATED), _tree(out)
    assert fresh, "scripts/gen_protos.sh produced no files"
    problems = [f"missing from generated/: {p}" for p in sorted(fresh.keys() - committed.keys())]
    problems += [f"extra in generated/ (not produced from protos/): {p}"
                 for p in sorted(committed.keys() - fresh.keys())]
    problems += [f"differs: generated/{p}" for p in sorted(fresh.keys() & committed.keys()) if fresh[p] != committed[p]]
    assert not problems, "generated/ is stale; run `make protos` and commit the result:\n" + "\n".join(problems)
