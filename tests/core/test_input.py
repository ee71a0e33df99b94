"""The shared input checks: NUL and lone surrogates are refused by every form with one Russian
message, and nothing is written (PostgreSQL would fail on NUL, SQLite would keep it)."""

from collections.abc import Callable

import pytest
from django.test import Client

from otmetka.audit.models import Event
from otmetka.core.input import CleanTextForm, text_check, text_problem
from otmetka.curriculum.forms import LessonCancelForm
from otmetka.curriculum.models import Subject
from tests.world import World


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Алгебра", ""),
        ("😀 emoji is a pair", ""),
        ("Алгебра\x00", "Текст содержит недопустимый символ (NUL)."),
        ("\ud800", "Текст содержит недопустимый символ (половину суррогатной пары)."),
        ("a\udfffb", "Текст содержит недопустимый символ (половину суррогатной пары)."),
    ],
)
def test_text_problem_names_the_forbidden_character(text: str, problem: str) -> None:
    assert text_problem(text) == problem


def test_text_check_looks_into_lists_and_dicts() -> None:
    assert text_check({"a": ["b", "c"]}) == {"a": ["b", "c"]}
    with pytest.raises(ValueError, match="NUL"):
        text_check({"a": ["b", "c\x00"]})
    with pytest.raises(ValueError, match="суррогатной"):
        text_check({"\ud800": 1})


def test_every_form_of_the_apps_uses_the_shared_check() -> None:
    from django import forms

    import otmetka.curriculum.forms
    import otmetka.curriculum.ktp_forms
    import otmetka.journal.forms
    import otmetka.people.forms
    import otmetka.school.forms

    modules = [
        otmetka.curriculum.forms,
        otmetka.curriculum.ktp_forms,
        otmetka.journal.forms,
        otmetka.people.forms,
        otmetka.school.forms,
    ]
    found = [
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, forms.BaseForm)
        and value.__module__ == module.__name__
    ]
    assert len(found) > 10
    assert [f.__name__ for f in found if not issubclass(f, CleanTextForm)] == []


def test_a_form_field_with_a_surrogate_gets_the_russian_message() -> None:
    form = LessonCancelForm(data={"reason": "болезнь\ud800"})
    assert not form.is_valid()
    assert form.errors["reason"] == [
        "Текст содержит недопустимый символ (половину суррогатной пары)."
    ]


@pytest.mark.parametrize("name", ["Алгебра\x00", "\x00"])
def test_nul_in_a_setup_form_is_refused_and_nothing_is_written(
    world: World, client_for: Callable[[str | None], Client], name: str
) -> None:
    before = Subject.objects.count(), Event.objects.count()
    response = client_for("admin").post(
        "/setup/subject/new/", {"name": name, "short_name": "", "position": 1}
    )
    assert response.status_code == 200
    assert "Текст содержит недопустимый символ (NUL)." in response.content.decode()
    assert (Subject.objects.count(), Event.objects.count()) == before
