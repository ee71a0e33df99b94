"""Tokens follow the diary's access rules, as the pages do: every persona of the world with a
token of their own reads the 7А pupil's diary only if the pages let them (the pupil, the
guardian), through /api/v1 and through ЭлЖур's layer alike, in either school; a guardian's
token stops at the end of the link; a revoked token reads nothing."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from otmetka.accounts.tokens import token_issue
from otmetka.people.models import Guardian
from tests.world import PERSONAS, World

READS_7A = {"student_7a", "guardian_7a"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_token_reads_the_diaries_its_user_reads_and_no_other(world: World, persona: str) -> None:
    raw, _token = token_issue(user=world.user(persona), name="t", writable=True)
    v1 = Client(headers={"Authorization": f"Bearer {raw}"})
    for student, readers in ((world.pupil_7a, READS_7A), (world.other_pupil, set())):
        expected = 200 if persona in readers else 404
        days = v1.get(f"/api/v1/diary/{student.pk}/days?start=2026-11-16")
        assert days.status_code == expected, (persona, student)
        eljur = Client().get(
            "/apiv3/getdiary",
            {"auth_token": raw, "student": student.pk, "days": "20261116-20261122"},
        )
        assert eljur.json()["response"]["state"] == expected, (persona, student)
        assert eljur.status_code == expected


def test_an_ended_guardian_link_ends_the_tokens_reading(world: World) -> None:
    raw, _token = token_issue(user=world.user("guardian_7a"), name="t", writable=False)
    url = f"/api/v1/diary/{world.pupil_7a.pk}/days"
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get(url).status_code == 200
    Guardian.objects.filter(user=world.user("guardian_7a")).update(
        end=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert client.get(url).status_code == 404
    eljur = Client().get("/apiv3/getdiary", {"auth_token": raw, "student": world.pupil_7a.pk})
    assert eljur.json()["response"]["state"] == 404


def test_a_revoked_token_is_refused_everywhere(world: World) -> None:
    raw, token = token_issue(user=world.user("student_7a"), name="t", writable=False)
    token.revoked_at = timezone.now()
    token.save()
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me").status_code == 401
    refused = Client().get("/apiv3/getrules", {"auth_token": raw}).json()["response"]
    assert refused["state"] == 403 and refused["result"] == {}
