"""`otmetka serve` with the school's clock fixed at the benchmark's NOW (for bench/run.py).

    python bench/serve_at.py --port 8123 [--workers N] [--threads N]   (0: serve's defaults)

Starts time_machine travelling to NOW (ticking), then calls the same serve() as `otmetka serve`:
gunicorn forks its workers after that, and they inherit the travelled clock (bench/run.py checks
that a page shows NOW's period before measuring). DATABASE_URL and OTMETKA_DATA_DIR come from
the environment.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import NOW, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otmetka.config.settings")
    from otmetka.cli import SERVE_PG_POOL

    os.environ.setdefault("OTMETKA_PG_POOL", SERVE_PG_POOL)  # as `otmetka serve` does
    import time_machine

    time_machine.travel(NOW, tick=True).start()
    setup_django()
    from otmetka.core.management.commands.serve import serve

    serve(host=args.host, port=args.port, workers=args.workers, threads=args.threads)


if __name__ == "__main__":
    main()
