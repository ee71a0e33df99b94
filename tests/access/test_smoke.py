from otmetka.access.rules import scope_students
from otmetka.people.models import Student


def test_world_builds_and_teacher_sees_only_own_class(world):
    seen = scope_students(Student.objects.all(), world.user("teacher_7a_math"), world.school)
    assert list(seen) == [world.pupil_7a]


def test_login_page_speaks_russian(client, db):
    response = client.get("/accounts/login/")
    assert "Вход в «Отметку»" in response.content.decode()
