"""What one login costs in CPU, and how many cores a 1 September login storm needs.

    uv run python bench/login_cost.py [--rounds 20] [--logins 30]

Measures CPU time (`time.process_time`, all threads of this process) per password verification for
the project's argon2id profile and two alternatives, then per full login request (POST to
/accounts/login/ through Django's test client: form, throttle check, hashing, session write) on a
throw-away SQLite database. Prints Markdown tables for docs/operators.md.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

PASSWORD = "Lesnaya-tropa-1941"
STORM_MINUTES = 15


@dataclass
class Storm:
    """A wave of first logins that must be absorbed within STORM_MINUTES."""

    name: str
    logins: int


# One login per student and one per parent (a guardian per student, a conservative round figure).
STORMS = [
    Storm("school-S: 1,100 students + 1,100 parents", 2 * 1_100),
    Storm("region-M: 232,000 students + 232,000 parents", 2 * 232_000),
]


def _setup_django(data_dir: str) -> None:
    os.environ["OTMETKA_DATA_DIR"] = data_dir
    Path(data_dir, "static").mkdir()
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otmetka.config.settings")
    import django

    django.setup()


def _cpu_ms(action: Callable[[], object], rounds: int) -> tuple[float, float]:
    """Median CPU and wall milliseconds of `action` over `rounds` runs (after one warm-up)."""
    action()
    cpu, wall = [], []
    for _ in range(rounds):
        c0, w0 = time.process_time(), time.perf_counter()
        action()
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    return statistics.median(cpu), statistics.median(wall)


def hasher_rows(rounds: int) -> list[tuple[str, str, float, float]]:
    """(name, parameters, CPU ms, wall ms) per verification for each candidate hasher."""
    from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher

    from otmetka.accounts.hashers import OtmetkaArgon2Hasher

    candidates = [
        ("Otmetka argon2id", OtmetkaArgon2Hasher()),
        ("Django default argon2id", Argon2PasswordHasher()),
        ("Django default PBKDF2-SHA256", PBKDF2PasswordHasher()),
    ]
    rows = []
    for name, hasher in candidates:
        encoded = hasher.encode(PASSWORD, hasher.salt())
        if isinstance(hasher, Argon2PasswordHasher):
            params = (
                f"m={hasher.memory_cost // 1024} MiB, t={hasher.time_cost}, p={hasher.parallelism}"
            )
        else:
            params = f"{hasher.iterations:,} iterations"
        assert hasher.verify(PASSWORD, encoded)
        cpu, wall = _cpu_ms(lambda h=hasher, e=encoded: h.verify(PASSWORD, e), rounds)
        rows.append((name, params, cpu, wall))
    return rows


def login_row(logins: int) -> tuple[float, float]:
    """CPU and wall ms of one full login request with the project's settings."""
    from django.core.management import call_command
    from django.test import Client

    from otmetka.accounts.models import User

    call_command("migrate", verbosity=0)
    user = User(username="ivanov.i", last_name="Иванов", first_name="Иван")
    user.set_password(PASSWORD)
    user.save()
    assert user.password.startswith("argon2$argon2id$")

    # One client (one loaded middleware chain, as in a running worker); fresh cookies per login.
    client = Client(HTTP_HOST="127.0.0.1")

    def one_login() -> None:
        client.cookies = SimpleCookie()
        response = client.post("/accounts/login/", {"username": "ivanov.i", "password": PASSWORD})
        assert response.status_code == 302, response.status_code

    return _cpu_ms(one_login, logins)


def cores(logins: int, cpu_ms: float) -> float:
    return logins / (STORM_MINUTES * 60) * cpu_ms / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="verifications per hasher")
    parser.add_argument("--logins", type=int, default=30, help="full login requests")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="otmetka-bench-") as data_dir:
        _setup_django(data_dir)
        import django

        hashers = hasher_rows(args.rounds)
        login_cpu, login_wall = login_row(args.logins)
    print(f"Python {sys.version.split()[0]}, Django {django.get_version()}, {os.cpu_count()} CPUs")
    print(f"median of {args.rounds} verifications / {args.logins} logins; CPU = process time\n")
    print("| password hashing | parameters | CPU ms / verification | wall ms | per core / s |")
    print("|---|---|---:|---:|---:|")
    for name, params, cpu, wall in hashers:
        print(f"| {name} | {params} | {cpu:.1f} | {wall:.1f} | {1000 / cpu:.0f} |")
    print(
        f"| full login request (Otmetka argon2id) | POST /accounts/login/, SQLite | "
        f"{login_cpu:.1f} | {login_wall:.1f} | {1000 / login_cpu:.0f} |"
    )
    print(f"\n| 1 September storm, all within {STORM_MINUTES} min | logins | logins / s | ", end="")
    print(" | ".join(f"cores: {name}" for name, *_ in hashers), "| cores: full login |")
    print("|---|---:|---:|" + "---:|" * (len(hashers) + 1))
    for storm in STORMS:
        rate = storm.logins / (STORM_MINUTES * 60)
        need = [f"{cores(storm.logins, cpu):.1f}" for _, _, cpu, _ in hashers]
        full = f"{cores(storm.logins, login_cpu):.1f}"
        print(f"| {storm.name} | {storm.logins:,} | {rate:.1f} | {' | '.join(need)} | {full} |")
    print(
        "\nCores are averages over the window; real arrivals bunch up (start of lessons, "
        "evening), so provision 2–3× the average for the peak minute."
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    main()
