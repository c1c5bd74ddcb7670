"""Prints, one per line, the requirements of one optional-dependency group of pyproject.toml (single source of pins)."""
import sys
import tomllib
from pathlib import Path

extra = sys.argv[1]
project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"]
print("\n".join(project["optional-dependencies"][extra]))
