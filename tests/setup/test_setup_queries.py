"""List pages run a constant number of queries whatever the number of rows."""

import datetime
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

from otmetka.accounts.models import User
from otmetka.people.models import Guardian, Student
from otmetka.school.models import Enrollment
from tests.world import World


def add_students(world: World, n: int) -> None:
    """n more students of 7А, each with a login and a guardian."""
    for i in range(n):
        user = User.objects.create(username=f"kid{i}")
        student = Student.objects.create(
            school=world.school, user=user, last_name=f"Ученик{i:02}", first_name="Пётр"
        )
        Enrollment.objects.create(
            school=world.school,
            student=student,
            school_class=world.class_7a,
            start=datetime.date(2026, 9, 1),
        )
        parent = User.objects.create(username=f"parent{i}")
        Guardian.objects.create(school=world.school, student=student, user=parent)


def test_the_students_list_runs_the_same_queries_for_2_and_30_students(
    world: World, client_for: Callable, django_assert_num_queries: Callable
) -> None:
    client = client_for("admin")
    client.get("/setup/student/")  # warm up the session
    with CaptureQueriesContext(connection) as two:
        response = client.get("/setup/student/")
    assert response.content.decode().count("<tr>") == 1 + 2
    add_students(world, 28)
    with django_assert_num_queries(len(two)):
        response = client.get("/setup/student/")
    page = response.content.decode()
    assert page.count("<tr>") == 1 + 30
    assert "Ученик27 Пётр" in page and "7А" in page


def test_the_classes_and_staff_lists_do_not_grow_with_rows(
    world: World, client_for: Callable, django_assert_num_queries: Callable
) -> None:
    client = client_for("admin")
    client.get("/setup/class/")
    with CaptureQueriesContext(connection) as before:
        client.get("/setup/class/")
        client.get("/setup/staff/")
        client.get("/setup/guardian/")
    add_students(world, 10)
    with django_assert_num_queries(len(before)):
        client.get("/setup/class/")
        client.get("/setup/staff/")
        client.get("/setup/guardian/")
