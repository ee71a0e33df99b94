"""The grid's JavaScript unit tests (key parsing, state updates, patching, the API client) run
by Node's built-in test runner — no npm packages — inside the suite, so CI runs them too."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent
pytestmark = pytest.mark.db_independent  # Node only: scripts/test runs it in the SQLite pass


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def test_the_grid_modules_pass_their_node_unit_tests() -> None:
    node = shutil.which("node")
    if node is None:
        reason = "no `node` on PATH for the grid's JS unit tests (apt-get install nodejs)"
        if _in_ci():
            pytest.fail(f"CI requires them: {reason}", pytrace=False)
        pytest.skip(reason)
    result = subprocess.run(
        [node, "--test", str(HERE / "grid")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=HERE.parent.parent,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "# fail 0" in result.stdout, output[-6000:]
    passed = [line for line in result.stdout.splitlines() if line.startswith("# pass ")]
    assert passed and int(passed[-1].split()[-1]) >= 20, output[-6000:]
