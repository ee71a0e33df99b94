"""The school's public pages for an anonymous visitor: the home page, a page of news, the
documents, the Atom feed of news — with 500 published news items and 60 documents.

    uv run python bench/portal.py [--rounds 200]

Runs on a throw-away SQLite database (or DATABASE_URL) holding the test world of tests/world.py;
requests go through Django's test client (middleware, templates: all but the socket). Printed,
never asserted. The pages are `Cache-Control: public, max-age=60`: a proxy in front answers most
of them; these figures are what a miss costs.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench._common import setup_django  # noqa: E402
from bench.messaging import _measure  # noqa: E402

NEWS, DOCUMENTS = 500, 60


def _fixture(world: Any) -> str:
    """The published items, written in bulk (around the services); the school's address."""
    from django.utils import timezone

    from otmetka.portal.models import Publication, PublicationFile

    now, editor = timezone.now(), world.user("web_editor")
    director = world.user("director")
    common = {
        "school": world.school, "state": "published", "published_at": now,
        "created_by": editor, "decided_by": director, "decided_at": now,
    }  # fmt: skip
    Publication.objects.bulk_create(
        Publication(kind="news", title=f"Новость {i}", body="Текст **новости**. " * 30, **common)
        for i in range(NEWS)
    )
    docs = Publication.objects.bulk_create(
        Publication(kind="document", title=f"Положение {i}", category="regulation", **common)
        for i in range(DOCUMENTS)
    )
    file = {"name": "Положение.pdf", "size": 1000, "file": "portal/bench.pdf"}
    PublicationFile.objects.bulk_create(
        PublicationFile(school=world.school, publication=d, uploaded_by=editor, **file)
        for d in docs
    )
    return f"/s/{world.school.pk}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    setup_django(tempfile.mkdtemp(prefix="otmetka-bench-portal-"))
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from tests.world import build_world

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    call_command("migrate", verbosity=0)
    base = _fixture(build_world())
    visitor = Client(SERVER_NAME="127.0.0.1")
    load = os.getloadavg()[0]
    print(f"{connection.vendor}, {args.rounds} rounds, load average {load:.1f}, anonymous visitor")
    print("| page | queries | p50 ms | p95 ms | CPU p50 ms | CPU p95 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, url in (
        ("school home (5 latest news)", f"{base}/"),
        ("news, page 1 of 25", f"{base}/news/"),
        (f"documents ({DOCUMENTS})", f"{base}/documents/"),
        ("Atom feed of news (30)", f"{base}/feeds/news/"),
    ):

        def get(url: str = url) -> None:
            if visitor.get(url).status_code != 200:
                raise RuntimeError(f"{url} refused")

        queries, p50, p95, cpu50, cpu95 = _measure(get, args.rounds)
        print(f"| {name} | {queries} | {p50:.1f} | {p95:.1f} | {cpu50:.1f} | {cpu95:.1f} |")


if __name__ == "__main__":
    main()
