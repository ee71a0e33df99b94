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


def cli_language(environ: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """The language of the command line's help and messages: Russian like the UI, English
    when the terminal's locale is English (LC_ALL, then LC_MESSAGES, then LANG, as POSIX says)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "ru"
    return "ru"


def main() -> None:
    prepare_environment(sys.argv)
    import django
    from django.core.management import execute_from_command_line
    from django.utils import translation

    django.setup()
    translation.activate(cli_language())
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
