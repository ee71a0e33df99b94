"""The approval workflow: drafts, submitting, the director's decision, the consent check, the
audit trail and who may do each step (across schools too)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from otmetka.access.models import Role, RoleMembership
from otmetka.audit.models import Event
from otmetka.messaging.models import Participant
from otmetka.portal import services
from otmetka.portal.models import Publication
from tests.portal.helpers import consent, document, news
from tests.world import World

pytestmark = pytest.mark.django_db


def _actions(item: Publication) -> list[str]:
    rows = Event.objects.filter(object_type="portal.publication", object_id=str(item.pk))
    return list(rows.order_by("pk").values_list("action", flat=True))


def test_deputy_submits_director_approves_and_every_step_is_audited(world: World) -> None:
    item = document(world)
    assert item.state == "published" and item.published_at is not None
    assert item.decided_by == world.user("director")
    assert _actions(item) == ["portal_item_create", "portal_submit", "portal_approve"]
    assert Event.objects.filter(action="portal_file_add", school=world.school).exists()


def test_the_director_and_the_author_are_notified_in_their_inbox(world: World) -> None:
    document(world)
    director, deputy = world.user("director"), world.user("deputy")
    assert Participant.objects.filter(user=director, thread__subject__startswith="На согласование")
    assert Participant.objects.filter(user=deputy, thread__subject__startswith="Опубликовано")


def test_a_returned_item_keeps_the_comment_and_goes_back_to_the_author(world: World) -> None:
    item = document(world, state="returned")
    assert item.state == "returned" and item.return_comment == "Нет подписи."
    services.publication_save(
        actor=world.user("deputy"), school=world.school, kind="document", item=item,
        title="Положение (исправлено)", category="regulation",
    )  # fmt: skip
    services.publication_submit(actor=world.user("deputy"), school=world.school, item=item)
    item.refresh_from_db()
    assert item.state == "pending"


def test_a_return_needs_a_comment(world: World) -> None:
    item = document(world, state="pending")
    with pytest.raises(ValidationError):
        services.publication_return(
            actor=world.user("director"), school=world.school, item=item, comment="  "
        )
    item.refresh_from_db()
    assert item.state == "pending"


@pytest.mark.parametrize("persona", ["web_editor", "deputy", "admin", "teacher_7a_math"])
def test_only_the_director_approves(world: World, persona: str) -> None:
    item = document(world, state="pending")
    with pytest.raises(PermissionDenied):
        services.publication_approve(actor=world.user(persona), school=world.school, item=item)
    item.refresh_from_db()
    assert item.state == "pending"


def test_the_director_of_another_school_cannot_approve_here(world: World) -> None:
    other = world.user("teacher_other_school")
    RoleMembership.objects.create(user=other, role=Role.DIRECTOR, school=world.other_school)
    item = document(world, state="pending")
    client = Client()
    client.force_login(other)
    assert client.post(f"/portal/{item.pk}/approve/").status_code == 404
    item.refresh_from_db()
    assert item.state == "pending"


def test_a_submitted_item_cannot_be_edited(world: World) -> None:
    item = document(world, state="pending")
    with pytest.raises(PermissionDenied):
        services.publication_save(
            actor=world.user("deputy"), school=world.school, kind="document", item=item,
            title="Другое", category="regulation",
        )  # fmt: skip


def test_a_document_needs_its_file_before_it_is_submitted(world: World) -> None:
    item = services.publication_save(
        actor=world.user("deputy"), school=world.school, kind="document", title="Приказ",
        category="order",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="файл"):
        services.publication_submit(actor=world.user("deputy"), school=world.school, item=item)


def test_a_teacher_drafts_documents_only_when_the_admin_allows(world: World) -> None:
    teacher = world.user("teacher_7a_math")
    with pytest.raises(ValidationError):
        services.publication_save(
            actor=teacher, school=world.school, kind="document", title="Отчёт", category="report"
        )
    services.submitter_set(
        actor=world.user("admin"), school=world.school, user_id=teacher.pk, allowed=True
    )
    item = services.publication_save(
        actor=teacher, school=world.school, kind="document", title="Отчёт", category="report"
    )
    assert item.created_by == teacher


def test_only_the_admin_allows_and_only_staff_of_the_school(world: World) -> None:
    teacher = world.user("teacher_7a_math")
    with pytest.raises(ValidationError):
        services.submitter_set(
            actor=world.user("director"), school=world.school, user_id=teacher.pk, allowed=True
        )
    with pytest.raises(ValidationError):
        services.submitter_set(
            actor=world.user("admin"), school=world.school,
            user_id=world.user("teacher_other_school").pk, allowed=True,
        )  # fmt: skip


def test_news_naming_a_student_is_refused_until_the_consents_are_ticked(world: World) -> None:
    editor = world.user("web_editor")
    item = news(world, publish=False, students=[world.pupil_7a.pk])
    # No publication consent in the register: refused, even with the tick.
    services.publication_save(
        actor=editor, school=world.school, kind="news", item=item, title=item.title,
        body=item.body, students=[world.pupil_7a.pk], consent_checked=True,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="Не записано согласие"):
        services.publication_submit(actor=editor, school=world.school, item=item)
    # With the consent recorded and without the tick: still refused.
    consent(world, world.pupil_7a)
    services.publication_save(
        actor=editor, school=world.school, kind="news", item=item, title=item.title,
        body=item.body, students=[world.pupil_7a.pk], consent_checked=False,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="согласи"):
        services.publication_submit(actor=editor, school=world.school, item=item)
    services.publication_save(
        actor=editor, school=world.school, kind="news", item=item, title=item.title,
        body=item.body, students=[world.pupil_7a.pk], consent_checked=True,
    )  # fmt: skip
    services.publication_submit(actor=editor, school=world.school, item=item)
    item.refresh_from_db()
    assert item.state == "pending" and item.consent_checked_by == editor
    assert "portal_consent_check" in _actions(item)


def test_a_student_of_another_school_cannot_be_named(world: World) -> None:
    with pytest.raises(ValidationError):
        news(world, publish=False, students=[world.other_pupil.pk])


@pytest.mark.parametrize("persona", ["deputy", "teacher_7a_math", "director", "student_7a"])
def test_only_the_web_editor_drafts_news(world: World, persona: str) -> None:
    with pytest.raises(ValidationError):
        services.publication_save(
            actor=world.user(persona), school=world.school, kind="news", title="Х", body="Y"
        )


def test_the_web_editor_withdraws_a_published_item(world: World) -> None:
    item = news(world)
    services.publication_withdraw(actor=world.user("web_editor"), school=world.school, item=item)
    item.refresh_from_db()
    assert item.state == "draft" and item.published_at is None
    assert _actions(item)[-1] == "portal_withdraw"


@pytest.mark.parametrize(
    "title", ["", "x" * 301, "нуль\x00", "пол\ud800пары"], ids=["empty", "long", "nul", "surrogate"]
)
def test_bad_titles_are_refused_with_nothing_written(world: World, title: str) -> None:
    with pytest.raises(ValidationError):
        services.publication_save(
            actor=world.user("web_editor"), school=world.school, kind="news", title=title
        )
    assert not Publication.objects.exists()


def test_naming_other_students_records_the_consent_tick_anew(world: World) -> None:
    editor = world.user("web_editor")
    item = news(world, publish=False, students=[world.pupil_7a.pk], consent_checked=True)
    services.publication_save(
        actor=editor, school=world.school, kind="news", item=item, title=item.title,
        body=item.body, students=[world.pupil_7a.pk, world.pupil_7b.pk], consent_checked=True,
    )  # fmt: skip
    checks = Event.objects.filter(action="portal_consent_check", object_id=str(item.pk))
    assert [e.after["students"] for e in checks.order_by("pk")] == [
        [world.pupil_7a.pk],
        sorted([world.pupil_7a.pk, world.pupil_7b.pk]),
    ]
