"""The `otmetka` console command: every manage.py command, plus `demo` and `serve`."""

import os
import sys

# The PostgreSQL connection pool of each `otmetka serve` process (settings: OTMETKA_PG_POOL):
# its threads (4 by default) and a margin; without effect on SQLite.
SERVE_PG_POOL = "8"


def prepare_environment(argv: list[str]) -> None:
    """The environment the settings read, before they are loaded: the settings module, and
    for `serve` the PostgreSQL pool."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otmetka.config.settings")
    if argv[1:2] == ["serve"]:
        os.environ.setdefault("OTMETKA_PG_POOL", SERVE_PG_POOL)


def main() -> None:
    prepare_environment(sys.argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
