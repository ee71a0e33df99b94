from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    """Uploads of a test go to its own folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
