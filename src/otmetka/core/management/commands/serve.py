"""`otmetka serve`: the production WSGI server (gunicorn), static files collected first.

Defaults: one worker process per core this process may run on (at least two), four threads
each. A request is CPU-bound Python (the GIL lets one thread of a process run at a time), so
more processes than cores only add switching; the threads overlap each request's waits on
the database and the network, and keep idle keep-alive connections from tying up a process.
"""

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser
from gunicorn.app.base import BaseApplication

from otmetka.core.commands import TranslatedCommand, gettext_lazy
from otmetka.core.gworker import table_make


class OtmetkaServer(BaseApplication):  # type: ignore[misc]  # gunicorn ships no types
    """gunicorn run from Python, configured by our options instead of its command line."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from otmetka.config.wsgi import application

        return application


def gunicorn_options(*, host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """gunicorn's settings for `otmetka serve`."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        # Threads even when there is one: gunicorn's sync worker would close every keep-alive
        # connection after its answer (a new TCP connection per request). Its gthread worker,
        # keeping each process's share of the connections even (core/gworker.py).
        "worker_class": "otmetka.core.gworker.BalancedThreadWorker",
        "threads": threads,
        "accesslog": "-",
        # Hard limits on the request head; the body is capped by RequestLimitMiddleware
        # (OTMETKA_MAX_UPLOAD_MB), which refuses a larger Content-Length before reading it.
        "limit_request_line": 4094,
        "limit_request_fields": 50,
        "limit_request_field_size": 8190,
    }


def default_workers() -> int:
    """One worker per usable core, at least two (a worker restarting leaves one serving)."""
    return max(2, len(os.sched_getaffinity(0)))


def default_threads() -> int:
    """Threads of a worker process."""
    return 4


def serve(*, host: str = "127.0.0.1", port: int = 8000, workers: int = 0, threads: int = 0) -> None:
    """Collect static files (whitenoise serves them from STATIC_ROOT), then serve until stopped.
    0 workers or threads: the defaults above."""
    call_command("collectstatic", interactive=False, verbosity=0)
    workers = workers or default_workers()
    threads = threads or default_threads()
    options = gunicorn_options(host=host, port=port, workers=workers, threads=threads)
    table_make(workers)
    OtmetkaServer(options).run()


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Serve Otmetka with gunicorn (put a reverse proxy with TLS in front of it)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help=gettext_lazy("address to listen on")
        )
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help=gettext_lazy("processes (default: one per core, at least 2)"),
        )
        parser.add_argument(
            "--threads", type=int, default=0, help=gettext_lazy("threads per process")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        serve(
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            threads=options["threads"],
        )
