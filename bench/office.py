"""What the school office's bulk work costs: issuing one-time passwords, the slips' PDF, and
parsing a whole school's contingent table.

    uv run python bench/office.py [--people 2700] [--students 1100]

CPU time per issued password (drawing it, the Russian validators, the light argon2id profile of
issued passwords vs the default one), the PDF for `--people` slips (time and size), and the
import's read-and-check of a `--students`-row XLSX against an empty school (no database writes:
the plan is all new students). Prints a Markdown table.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace


def _setup_django(data_dir: str) -> None:
    os.environ["OTMETKA_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otmetka.config.settings")
    import django

    django.setup()


def _cpu(fn: object, n: int) -> float:
    start = time.process_time()
    for _ in range(n):
        fn()  # type: ignore[operator]
    return (time.process_time() - start) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2700)
    parser.add_argument("--students", type=int, default=1100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        _setup_django(data_dir)
        from django.contrib.auth.hashers import make_password

        from otmetka.accounts.services import password_generate

        rows = [
            ("password drawn and validated", _cpu(password_generate, 200)),
            ("hash, issued profile (argon2id m=4 MiB, t=1)",
             _cpu(lambda: make_password("abcdefgh23", hasher="argon2_issued"), 50)),
            ("hash, default profile (argon2id m=19 MiB, t=2)",
             _cpu(lambda: make_password("abcdefgh23", hasher="argon2"), 20)),
        ]  # fmt: skip
        print("| step | CPU ms each | for", args.people, "people, s |")
        print("|---|---|---|")
        for name, seconds in rows:
            print(f"| {name} | {seconds * 1000:.1f} | {seconds * args.people:.1f} |")
        _pdf(args.people)
        _import(args.students)


def _pdf(people: int) -> None:
    from otmetka.people.credentials import Slip
    from otmetka.setup.slips import slips_pdf

    user = SimpleNamespace(full_name="Константинопольская Александра Вячеславовна",
                           username="konstantinopolskaya.av")  # fmt: skip
    slips = [Slip(user, "abcdefgh23", "guardian", "Родитель: Иванов Иван (7А)")] * people  # type: ignore[arg-type]
    start = time.perf_counter()
    pdf = slips_pdf(slips, school="МБОУ «Столбовская СШ»", address="https://school.example.ru/")
    took = time.perf_counter() - start
    print(f"\nPDF of {people} slips: {took:.1f} s, {len(pdf) / 1024:.0f} KB")


def _import(students: int) -> None:
    import openpyxl
    from django.core.management import call_command

    from otmetka.people.imports import people_parse
    from otmetka.school.models import School

    call_command("migrate", verbosity=0)
    book = openpyxl.Workbook()
    book.active.append(["ФИО", "Дата рождения", "Класс", "Родитель 1", "Телефон родителя 1"])
    for i in range(students):
        book.active.append([f"Иванов{i} Иван Петрович", "01.02.2014", "7А",
                            f"Иванова{i} Анна Петровна", "+7 978 123 45 67"])  # fmt: skip
    data = io.BytesIO()
    book.save(data)
    upload = SimpleNamespace(size=len(data.getvalue()), name="x.xlsx")
    upload.read = io.BytesIO(data.getvalue()).read  # type: ignore[attr-defined]
    school = School(pk=1, name="x")
    start = time.perf_counter()
    report = people_parse(school=school, uploaded_file=upload)
    took = time.perf_counter() - start
    size = len(data.getvalue()) / 1024
    print(f"Import check of {students} rows ({size:.0f} KB XLSX): {took:.2f} s")
    print(f"({len(report.errors)} row errors: the bench's empty school has no class 7А)")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
