"""A static check of src/chatsvc/storage/: SQL text is never built from values. Every string that looks like SQL
and is assembled (f-string, .format, % or +) may interpolate only constants (UPPER_CASE names, literals), and
every text() / exec_driver_sql() / literal_column() / literal() gets a constant; values travel as bound
parameters. The few exceptions are listed below, each with the reason it is safe."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.helpers import REPO

STORAGE = REPO / "src" / "chatsvc" / "storage"
SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|WHERE|MATCH|VALUES|FROM|JOIN|"
                       r"ORDER BY|LIMIT|TRIGGER|INDEX|TABLE|SET|AND|OR|LIKE|ESCAPE)\b")  # SQL here is upper case
RAW_SQL_CALLS = {"text", "exec_driver_sql", "literal_column", "literal"}
CONSTANT_NAME = re.compile(r"^_?[A-Z][A-Z0-9_]*$")
# Helpers whose result is constant when their arguments are.
CONSTANT_HELPERS = {
    "_literal": "search_index.py: quotes a constant (the punctuation to fold) as an SQL string literal",
}

# (file under storage/, the non-constant expression as ast.unparse shows it) -> why it is safe.
ALLOWED = {
    ("integrity.py", "query + ' LIMIT 5'"):
        "`query` iterates over the module's constant list of invariant checks",
    ("migrator.py", "statement"):
        "`statement` iterates over constant DDL (the schema's own CREATE statements)",
    ("search_index.py", "statement"):
        "`statement` iterates over the constant DDL of the full-text index",
    ("migrations/versions/0001_initial_schema.py", "f'DROP TRIGGER message_search_{trigger}'"):
        "`trigger` iterates over a constant tuple of trigger names in the downgrade",
    ("repos/live_events.py", "f'INSERT INTO {space_events.name} '"):
        "never executed: the prefix the live hub matches executed statements against (the table's own name)",
}


def _constant(node: ast.AST) -> bool:
    """Whether `node` can only ever be a constant: literals, UPPER_CASE names, and expressions of those."""
    match node:
        case ast.Constant():
            return True
        case ast.Name(id=name) | ast.Attribute(attr=name):
            return bool(CONSTANT_NAME.match(name))
        case ast.JoinedStr(values=values):
            return all(_constant(v) for v in values)
        case ast.FormattedValue(value=value):
            return _constant(value)
        case ast.BinOp(left=left, right=right):
            return _constant(left) and _constant(right)
        case ast.IfExp(body=body, orelse=orelse):
            return _constant(body) and _constant(orelse)
        case ast.Call(func=ast.Name(id=name), args=args, keywords=keywords) if name in {"int", "str",
                                                                                     *CONSTANT_HELPERS}:
            return all(_constant(a) for a in args) and all(_constant(k.value) for k in keywords)
        case ast.Call(func=ast.Attribute(attr="format", value=template), args=args, keywords=keywords):
            return _constant(template) and all(_constant(a) for a in [*args, *(k.value for k in keywords)])
    return False


def _text_of(node: ast.AST) -> str:
    return " ".join(n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str))


def _built_string(node: ast.AST) -> bool:
    match node:
        case ast.JoinedStr(values=values):
            return any(isinstance(v, ast.FormattedValue) for v in values)
        case ast.Call(func=ast.Attribute(attr="format", value=ast.Constant(value=str()))):
            return True
        case ast.BinOp(op=ast.Mod() | ast.Add(), left=left, right=right):
            return any(isinstance(side, ast.Constant) and isinstance(side.value, str) for side in (left, right))
    return False


def dynamic_sql(path: Path) -> list[str]:
    """The expressions in `path` that assemble SQL from something not constant."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if _built_string(node) and SQL_WORDS.search(_text_of(node)) and not _constant(node):
            found.append(node)
        elif isinstance(node, ast.Call) and node.args and not _constant(node.args[0]):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in RAW_SQL_CALLS:
                found.append(node.args[0])
    return sorted({ast.unparse(node) for node in found})


def test_sql_in_the_storage_layer_is_built_from_constants_only():
    sites = {(str(path.relative_to(STORAGE)), expression)
             for path in sorted(STORAGE.rglob("*.py")) for expression in dynamic_sql(path)}
    unexplained = sorted(sites - ALLOWED.keys())
    assert unexplained == [], "SQL built from values (bind them as parameters instead):\n" + "\n".join(
        f"  {file}: {expression}" for file, expression in unexplained)
    assert sorted(ALLOWED.keys() - sites) == []  # a stale exception would hide a future one


def test_the_check_catches_sql_built_from_values(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def search(conn, name, limit):\n"
        "    conn.execute(text(f\"SELECT * FROM messages WHERE text = '{name}'\"))\n"
        "    conn.execute(text('SELECT * FROM spaces WHERE name = %s' % name))\n"
        "    conn.execute(text('DELETE FROM spaces WHERE id = ' + name))\n"
        "    conn.execute(text('SELECT 1 FROM users WHERE email = {}'.format(name)))\n"
        "    conn.exec_driver_sql(name)\n"
        "    conn.execute(text(f'SELECT * FROM {TABLE} LIMIT :n'), {'n': limit})\n"  # constants: fine
        "    conn.execute(select(messages).where(messages.c.text == name))\n")  # bound: fine
    assert dynamic_sql(sample) == sorted([
        "f\"SELECT * FROM messages WHERE text = '{name}'\"", "'SELECT * FROM spaces WHERE name = %s' % name",
        "'DELETE FROM spaces WHERE id = ' + name", "'SELECT 1 FROM users WHERE email = {}'.format(name)", "name"])
