"""The app order of DESIGN.md §2: an app imports only apps listed before it (lazy imports too).

`access` is the policy layer and reads every app's models. Every other import that runs up the
order is listed in KNOWN with the reason it is still there; the list only shrinks (issue 9).
"""

import ast
from pathlib import Path

import pytest

import otmetka

pytestmark = pytest.mark.db_independent  # no database: scripts/test runs it in the SQLite pass

SRC = Path(otmetka.__file__).parent
ORDER = [
    "config",
    "core",
    "audit",
    "accounts",
    "access",
    "school",
    "people",
    "curriculum",
    "journal",
    "grading",
    "compliance",
    "reports",
    "archive",
    "messaging",
    "diary",
    "portal",
    "setup",
    "home",
    "api",
    "demo",
]
RANK = {app: n for n, app in enumerate(ORDER)}

# (importing module, imported module) pairs still running up the order, each with its way out.
# Empty since issue 9: keep it so.
KNOWN: set[tuple[str, str]] = set()


def imports_up_the_order(src: Path = SRC) -> set[tuple[str, str]]:
    """Every (module, imported otmetka module) pair where the import runs up the order."""
    found = set()
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src)
        app = rel.parts[0]
        if app not in RANK or "migrations" in rel.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] != "otmetka" or len(parts) < 2 or parts[1] not in RANK:
                    continue
                if RANK[parts[1]] <= RANK[app]:
                    continue
                if app == "access" and parts[-1] == "models":
                    continue  # the policy layer reads every model
                found.add((str(rel), name))
    return found


def test_every_app_is_in_the_order() -> None:
    apps = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert apps - set(ORDER) == set()


def test_no_import_runs_up_the_app_order_beyond_the_known_ones() -> None:
    assert sorted(imports_up_the_order() - KNOWN) == []


def test_the_known_list_holds_only_imports_that_still_exist() -> None:
    assert sorted(KNOWN - imports_up_the_order()) == []


def test_the_checker_finds_a_lazy_import_up_the_order(tmp_path: Path) -> None:
    fake = tmp_path / "otmetka"
    (fake / "school").mkdir(parents=True)
    (fake / "school" / "x.py").write_text("def f():\n    from otmetka.journal import models\n")
    assert imports_up_the_order(fake) == {("school/x.py", "otmetka.journal")}
