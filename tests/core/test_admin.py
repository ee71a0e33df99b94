"""The Django admin cannot change what services own (a change there would skip the audit); what
only the installation superuser sets up stays writable and every change is an audit event."""

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import Client

from otmetka.accounts.models import User
from otmetka.audit.models import Event
from tests.world import World

# Writable (with an audit event) in the admin; every other registered model is read-only.
INSTALLATION_SETUP = {
    "accounts.user",
    "access.rolemembership",
    "school.region",
    "school.district",
    "school.school",
}
# django-axes' own admin of login attempts: the installation unlocks a login by deleting its
# attempts there (or with `otmetka axes_reset…`); nothing in it is journal data.
THROTTLE = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


@pytest.fixture
def root(world: World) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser(username="root", password="x"))
    return client


def test_each_admin_page_is_read_only_or_installation_setup(rf: object, root: Client) -> None:
    assert root.get("/django-admin/").status_code == 200  # the index opens (and the URLs load)
    request = rf.get("/")  # type: ignore[attr-defined]
    request.user = User.objects.get(username="root")
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if label in THROTTLE:
            assert model_admin.has_add_permission(request) is False, label
            continue
        writable = label in INSTALLATION_SETUP
        assert model_admin.has_view_permission(request), label
        assert model_admin.has_add_permission(request) is writable, label
        assert model_admin.has_change_permission(request) is writable, label
        assert model_admin.has_delete_permission(request) is False, label


def test_superuser_cannot_change_a_birth_date_in_the_admin(world: World, root: Client) -> None:
    student = world.pupil_7a
    url = f"/django-admin/people/student/{student.pk}/change/"
    data = {**model_to_dict(student), "birth_date": "2013-05-01", "school": student.school_id}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    events = Event.objects.count()

    response = root.post(url, data)

    assert response.status_code == 403
    student.refresh_from_db()
    assert student.birth_date is None
    assert Event.objects.count() == events


def test_superuser_still_reads_students_in_the_admin(world: World, root: Client) -> None:
    listing = root.get("/django-admin/people/student/")
    assert listing.status_code == 200
    assert "Иванов" in listing.content.decode()
    page = root.get(f"/django-admin/people/student/{world.pupil_7a.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_a_school_changed_in_the_admin_leaves_an_audit_event(world: World, root: Client) -> None:
    school = world.school
    data = {k: ("" if v is None else v) for k, v in model_to_dict(school).items()}
    old_name = school.name
    response = root.post(
        f"/django-admin/school/school/{school.pk}/change/", {**data, "name": "Новое имя"}
    )
    assert response.status_code == 302
    event = Event.objects.get(action="admin.change", object_type="school.school")
    assert event.actor.username == "root"
    assert event.before["name"] == old_name
    assert event.after["name"] == "Новое имя"


def test_a_password_set_in_the_admin_is_recorded_without_the_hash(
    world: World, root: Client
) -> None:
    user = world.user("teacher_7a_math")
    response = root.post(
        f"/django-admin/accounts/user/{user.pk}/password/",
        {"password1": "Zelenaya-roshcha-77", "password2": "Zelenaya-roshcha-77"},
    )
    assert response.status_code == 302
    assert Event.objects.filter(action="admin.password_set", object_id=str(user.pk)).count() == 1
    user.first_name = "Пётр"
    data = {k: ("" if v is None else v) for k, v in model_to_dict(user).items()}
    data.pop("groups"), data.pop("user_permissions")
    data["last_login_0"] = data["last_login_1"] = ""
    data["date_joined_0"], data["date_joined_1"] = "01.09.2026", "10:00:00"
    response = root.post(f"/django-admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(action="admin.change", object_id=str(user.pk))
    assert event.after["first_name"] == "Пётр"
    assert "password" not in event.after and "password" not in (event.before or {})
