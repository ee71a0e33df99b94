"""Journal services: refusals write nothing, edit windows, substitutions, audit per change."""

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from otmetka.access.models import Role, RoleMembership
from otmetka.audit.models import Event
from otmetka.curriculum.models import AssessmentMode
from otmetka.journal import services
from otmetka.journal.changes import AbsenceChange, CellChange, MarkChange
from otmetka.journal.defaults import journal_defaults_ensure
from otmetka.journal.models import Absence, AbsenceCode, HomeworkFile, Lesson, Mark, MarkKind
from otmetka.journal.selectors import cell_history, journal_grid, lesson_period
from otmetka.school.models import Period
from tests.audit.helpers import append_only_lift
from tests.journal.helpers import TODAY, code, kind, lesson_on, lessons_make
from tests.world import World


def _counts() -> tuple[int, int, int, int]:
    return (Mark.objects.count(), Absence.objects.count(), Event.objects.count(),
            HomeworkFile.objects.count())  # fmt: skip


def _refused(call: object, message: str) -> None:
    """The call raises ValidationError with exactly `message` and writes nothing."""
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        call()  # type: ignore[operator]
    assert message in exc.value.messages
    assert _counts() == before


@pytest.fixture
def lesson(world: World) -> Lesson:
    return lesson_on(world.course_7a_math, TODAY)


def _add(world: World, lesson: Lesson, value: str, actor: str = "teacher_7a_math", **kw) -> Mark:
    return services.mark_add(
        actor=world.user(actor), lesson=lesson, student=world.pupil_7a, value=value,
        kind=kind(world), **kw,
    )  # fmt: skip


def test_defaults_are_created_once(world: World) -> None:
    journal_defaults_ensure(school=world.school)
    journal_defaults_ensure(school=world.school)
    kinds = MarkKind.objects.filter(school=world.school)
    assert kinds.get(name="Контрольная работа").weight == 3
    assert kinds.get(name="Диктант").is_written
    assert kinds.get(name="Ответ на уроке").weight == 1
    assert kinds.count() == 11
    codes = dict(AbsenceCode.objects.filter(school=world.school).values_list("code", "reason"))
    assert codes == {"н": "unknown", "б": "illness", "у": "valid", "нп": "invalid", "оп": "late"}
    assert not MarkKind.objects.filter(school=world.other_school).exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("4-", "Отметки с плюсом или минусом не допускаются: введите целую отметку."),
        ("5+", "Отметки с плюсом или минусом не допускаются: введите целую отметку."),
        ("4.5", "Дробные отметки не допускаются: введите целую отметку."),
        ("4,5", "Дробные отметки не допускаются: введите целую отметку."),
        ("6", "Отметка должна быть целым числом от 2 до 5."),
        ("1", "Отметка должна быть целым числом от 2 до 5."),
        (".", "Отметка должна быть целым числом от 2 до 5."),
        ("•", "Отметка должна быть целым числом от 2 до 5."),
        ("", "Введите отметку."),
        ("зач", "Отметка должна быть целым числом от 2 до 5."),
    ],
)
def test_bad_marks_are_refused_and_nothing_is_written(
    world: World, lesson: Lesson, value: str, message: str
) -> None:
    kind(world)
    _refused(lambda: _add(world, lesson, value), message)


@pytest.mark.parametrize(
    ("mode", "good", "bad", "message"),
    [
        (AssessmentMode.POINTS_1_5, "1", "0", "Отметка должна быть целым числом от 1 до 5."),
        (AssessmentMode.PASS_FAIL, "зач", "5", "В этом курсе допускаются только «зач» и «незач»."),
        (AssessmentMode.NONE, None, "5", "Курс безотметочный: отметки не ставятся."),
    ],
)
def test_marks_follow_the_course_mode(
    world: World, lesson: Lesson, mode: str, good: str | None, bad: str, message: str
) -> None:
    world.course_7a_math.assessment = mode
    world.course_7a_math.save()
    kind(world)
    _refused(lambda: _add(world, lesson, bad), message)
    if good is not None:
        assert _add(world, lesson, good).value == good


def test_mark_refused_for_a_student_outside_the_class(world: World, lesson: Lesson) -> None:
    kind(world)
    call = lambda: services.mark_add(  # noqa: E731
        actor=world.user("teacher_7a_math"), lesson=lesson, student=world.pupil_7b, value="5",
        kind=kind(world),
    )  # fmt: skip
    _refused(call, "Обучающийся не числится в классе на дату урока.")


def test_mark_refused_before_arrival_and_after_departure(world: World) -> None:
    enrollment = world.pupil_7a.enrollments.get()
    enrollment.start = datetime.date(2026, 11, 16)
    enrollment.save()
    early = lesson_on(world.course_7a_math, datetime.date(2026, 11, 13))
    kind(world)
    _refused(lambda: _add(world, early, "5"), "Обучающийся не числится в классе на дату урока.")


def test_mark_refused_for_cancelled_and_future_lessons(world: World) -> None:
    kind(world)
    cancelled = lesson_on(world.course_7a_math, TODAY, status=Lesson.Status.CANCELLED)
    future = lesson_on(world.course_7a_math, datetime.date(2026, 11, 19))
    _refused(lambda: _add(world, cancelled, "5"), "Урок отменён: в него ничего не записывается.")
    _refused(lambda: _add(world, future, "5"), "Урок ещё не проведён.")


def test_mark_refused_for_an_unknown_kind(world: World, lesson: Lesson) -> None:
    foreign = MarkKind.objects.create(school=world.other_school, name="Чужой вид")
    call = lambda: services.mark_add(  # noqa: E731
        actor=world.user("teacher_7a_math"), lesson=lesson, student=world.pupil_7a, value="5",
        kind=foreign,
    )  # fmt: skip
    _refused(call, "Выберите вид работы.")


@pytest.mark.parametrize(
    ("value", "minutes", "message"),
    [
        ("x", None, "Неизвестный код пропуска."),
        ("оп", None, "Для опоздания укажите число минут от 1 до 45."),
        ("оп", 0, "Для опоздания укажите число минут от 1 до 45."),
        ("оп", 46, "Для опоздания укажите число минут от 1 до 45."),
        ("н", 5, "Минуты указываются только при опоздании."),
    ],
)
def test_bad_absences_are_refused(
    world: World, lesson: Lesson, value: str, minutes: int | None, message: str
) -> None:
    code(world, "н")
    call = lambda: services.absence_set(  # noqa: E731
        actor=world.user("teacher_7a_math"), lesson=lesson, student=world.pupil_7a, code=value,
        minutes=minutes,
    )  # fmt: skip
    _refused(call, message)


def test_mark_add_change_delete_each_leave_an_event(world: World, lesson: Lesson) -> None:
    teacher = world.user("teacher_7a_math")
    mark = _add(world, lesson, "4", comment="у доски")
    control = kind(world, "Контрольная работа")
    services.mark_change(actor=teacher, mark=mark, value="5", kind=control, comment="")
    services.mark_delete(actor=teacher, mark=mark)
    mark.refresh_from_db()
    assert mark.is_deleted and mark.value == "5" and mark.kind == control
    events = list(Event.objects.filter(object_type="journal.mark").order_by("id"))
    assert [e.action for e in events] == ["mark_add", "mark_change", "mark_delete"]
    assert events[0].before is None and events[0].after["value"] == "4"
    assert events[1].before["value"] == "4" and events[1].after["value"] == "5"
    assert events[1].before["comment"] == "у доски"
    assert events[2].before["is_deleted"] is False and events[2].after["is_deleted"] is True
    assert all(e.actor == teacher for e in events)
    history = cell_history(user=teacher, lesson=lesson, student=world.pupil_7a)
    assert [h["action"] for h in history] == ["mark_delete", "mark_change", "mark_add"]


def test_absence_set_change_clear(world: World, lesson: Lesson) -> None:
    teacher = world.user("teacher_7a_math")
    args = {"actor": teacher, "lesson": lesson, "student": world.pupil_7a}
    code(world, "оп")
    services.absence_set(**args, code="оп", minutes=10)
    services.absence_set(**args, code="б")
    absence = Absence.objects.get()
    assert absence.code.code == "б" and absence.minutes_late is None
    services.absence_clear(**args)
    assert not Absence.objects.exists()
    events = list(Event.objects.filter(object_type="journal.absence").order_by("id"))
    assert [e.action for e in events] == ["absence_set", "absence_set", "absence_clear"]
    assert events[1].before["minutes_late"] == 10 and events[1].after["minutes_late"] is None
    assert events[2].after is None


def test_cells_save_is_all_or_nothing(world: World, lesson: Lesson) -> None:
    k = kind(world)
    code(world, "н")
    before = _counts()
    changes = [
        CellChange(student=world.pupil_7a.pk, marks=(MarkChange(value="5", kind=k.pk),)),
        CellChange(student=world.pupil_7b.pk, marks=(MarkChange(value="4", kind=k.pk),)),
        CellChange(student=999999, absence=AbsenceChange(code="н")),
    ]
    with pytest.raises(services.CellsError) as exc:
        services.cells_save(actor=world.user("teacher_7a_math"), lesson=lesson, changes=changes)
    assert exc.value.errors == {
        world.pupil_7b.pk: "Обучающийся не числится в классе на дату урока.",
        999999: "Обучающийся не найден.",
    }
    assert _counts() == before


def test_closed_period_teacher_refused_deputy_needs_a_reason(world: World) -> None:
    old = lesson_on(world.course_7a_math, datetime.date(2026, 10, 20))  # 1st quarter, closed
    kind(world)
    before = _counts()
    with pytest.raises(PermissionDenied):
        _add(world, old, "5")
    assert _counts() == before
    _refused(
        lambda: _add(world, old, "5", actor="deputy"),
        "Период закрыт: укажите причину изменения.",
    )
    mark = _add(world, old, "5", actor="deputy", reason="Приказ №12: исправление ошибки")
    assert Event.objects.get(action="mark_add", object_id=str(mark.pk)).reason.startswith(
        "Приказ №12"
    )


def test_period_closed_by_the_deputy_and_open_until_the_days_pass(world: World) -> None:
    lesson = lesson_on(world.course_7a_math, TODAY)
    kind(world)
    assert _add(world, lesson, "5").pk
    Period.objects.filter(pk=lesson_period(lesson).pk).update(closed_at="2026-11-18T09:00Z")
    with pytest.raises(PermissionDenied):
        _add(world, lesson, "4")
    # Without the automatic closing, the 1st quarter stays open to its teacher.
    world.school.period_close_after_days = None
    world.school.save()
    old = lesson_on(world.course_7a_math, datetime.date(2026, 10, 20))
    assert _add(world, old, "4").value == "4"


def test_substitute_writes_only_the_substituted_lesson(world: World) -> None:
    first, second = lessons_make(world.course_7a_math, 2, start=datetime.date(2026, 11, 17))
    substitute = world.user("teacher_7b")
    services.substitution_assign(
        actor=world.user("deputy"), lesson=first, substitute=substitute, reason="Больничный"
    )
    k = kind(world)
    args = {"student": world.pupil_7a, "value": "5", "kind": k}
    assert services.mark_add(actor=substitute, lesson=first, **args).created_by == substitute
    with pytest.raises(PermissionDenied):
        services.mark_add(actor=substitute, lesson=second, **args)
    # The course's teacher keeps the right on the substituted lesson.
    assert services.mark_add(actor=world.user("teacher_7a_math"), lesson=first, **args).pk
    services.lesson_update(actor=substitute, lesson=first, topic="Замещение. Дроби")
    first.refresh_from_db()
    assert first.topic == "Дроби"
    grid = journal_grid(user=substitute, course=world.course_7a_math, period=lesson_period(first))
    shown = {row["id"]: row for row in grid["lessons"]}
    assert shown[first.pk]["topic"] == "Замещение. Дроби"
    assert shown[first.pk]["teacher"] == "Буквина Мария Сергеевна"
    assert shown[first.pk]["substitution"] and shown[first.pk]["can_write"]
    assert shown[second.pk]["teacher"] == "Числов Максим Андреевич"
    assert not shown[second.pk]["can_write"]


def test_substitution_refusals(world: World, lesson: Lesson) -> None:
    deputy = world.user("deputy")
    with pytest.raises(PermissionDenied):
        services.substitution_assign(
            actor=world.user("director"), lesson=lesson, substitute=world.user("teacher_7b"),
            reason="Больничный",
        )  # fmt: skip
    with pytest.raises(Http404):
        services.substitution_assign(
            actor=world.user("teacher_7b"), lesson=lesson, substitute=world.user("teacher_7b"),
            reason="Больничный",
        )  # fmt: skip
    call = lambda sub, reason="Больничный": services.substitution_assign(  # noqa: E731
        actor=deputy, lesson=lesson, substitute=sub, reason=reason
    )
    _refused(lambda: call(world.user("nurse")), "Замещать может только учитель этой школы.")
    _refused(
        lambda: call(world.user("teacher_other_school")),
        "Замещать может только учитель этой школы.",
    )
    _refused(lambda: call(world.user("teacher_7b"), ""), "Укажите причину замещения.")
    _refused(
        lambda: call(world.user("teacher_7a_math")),
        "Этот учитель уже ведёт этот предмет в классе.",
    )
    call(world.user("teacher_7b"))
    _refused(lambda: call(world.user("homeroom_7a")), "На этот урок уже назначено замещение.")
    assert Event.objects.filter(action="substitution_assign").count() == 1


def test_lesson_update_records_first_entry_and_warns_on_latin(world: World, lesson: Lesson) -> None:
    teacher = world.user("teacher_7a_math")
    assert services.lesson_update(actor=teacher, lesson=lesson, topic="Lhj,b") == [
        "Похоже, тема набрана в английской раскладке: вы имели в виду «Дроби»? "
        "Переключите раскладку на русскую и исправьте тему."
    ]
    lesson.refresh_from_db()
    first = lesson.topic_entered_at
    assert lesson.topic == "Lhj,b" and first is not None
    services.lesson_update(actor=teacher, lesson=lesson, topic="Дроби", homework="§5, №12")
    lesson.refresh_from_db()
    assert lesson.topic_entered_at == first and lesson.homework_entered_at is not None
    events = Event.objects.filter(action="lesson_update").order_by("id")
    assert [e.after["topic"] for e in events] == ["Lhj,b", "Дроби"]
    assert events[1].before["topic"] == "Lhj,b"


def test_english_topic_is_fine_in_an_english_course(world: World) -> None:
    world.math.name = "Английский язык"
    world.math.save()
    lesson = lesson_on(world.course_7a_math, TODAY)
    assert (
        services.lesson_update(
            actor=world.user("teacher_7a_math"), lesson=lesson, topic="Present Simple"
        )
        == []
    )


def test_all_present_sets_attendance_once(world: World, lesson: Lesson) -> None:
    teacher = world.user("teacher_7a_math")
    services.attendance_mark_all_present(actor=teacher, lesson=lesson)
    lesson.refresh_from_db()
    taken = lesson.attendance_taken_at
    services.attendance_mark_all_present(actor=teacher, lesson=lesson)
    lesson.refresh_from_db()
    assert taken is not None and lesson.attendance_taken_at == taken
    assert Event.objects.filter(action="attendance_taken").count() == 1


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("virus.exe", 10, "Файлы такого типа не принимаются."),
        ("big.pdf", 10 * 1024 * 1024 + 1, "Файл больше 10 МБ."),
        ("empty.txt", 0, "Файл пустой."),
    ],
)
def test_bad_homework_files_are_refused(
    world: World, lesson: Lesson, settings: object, tmp_path: object, name: str, size: int,
    message: str,
) -> None:  # fmt: skip
    settings.MEDIA_ROOT = str(tmp_path)
    upload = SimpleUploadedFile(name, b"x" * size)
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        services.homework_file_add(
            actor=world.user("teacher_7a_math"), lesson=lesson, uploaded_file=upload
        )
    assert exc.value.messages[0].startswith(message)
    assert _counts() == before


def test_homework_file_is_attached(
    world: World, lesson: Lesson, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    hw = services.homework_file_add(
        actor=world.user("teacher_7a_math"),
        lesson=lesson,
        uploaded_file=SimpleUploadedFile("задание.pdf", b"%PDF-1.4"),
    )
    assert hw.name == "задание.pdf" and hw.size == 8
    lesson.refresh_from_db()
    assert lesson.homework_entered_at is not None
    assert Event.objects.filter(action="homework_file_add", object_id=str(hw.pk)).exists()


def test_other_teachers_cannot_write(world: World, lesson: Lesson) -> None:
    kind(world)
    for persona in ("teacher_7b", "homeroom_7a", "director", "admin"):
        with pytest.raises(PermissionDenied):
            _add(world, lesson, "5", actor=persona)
    assert not Mark.objects.exists()


def test_deputy_writes_an_open_period_without_reason(world: World, lesson: Lesson) -> None:
    assert _add(world, lesson, "5", actor="deputy").value == "5"


def test_cross_school_teacher_is_not_a_substitute(world: World, lesson: Lesson) -> None:
    RoleMembership.objects.create(
        user=world.user("nurse"), role=Role.TEACHER, school=world.other_school
    )
    _refused(
        lambda: services.substitution_assign(
            actor=world.user("deputy"), lesson=lesson, substitute=world.user("nurse"),
            reason="Больничный",
        ),
        "Замещать может только учитель этой школы.",
    )  # fmt: skip


def test_who_may_substitute_is_who_may_teach_as_the_form_offers(
    world: World, lesson: Lesson
) -> None:
    """One rule (access.rules.teachers_of): the substitute form's choices and the service agree,
    deputies and the director teach too; the secretary does not."""
    from otmetka.curriculum.forms import SubstituteForm

    offered = set(SubstituteForm(school=world.school).fields["substitute"].queryset)
    assert world.user("deputy") in offered and world.user("secretary") not in offered
    _refused(
        lambda: services.substitution_assign(
            actor=world.user("deputy"),
            lesson=lesson,
            substitute=world.user("secretary"),
            reason="Больничный",
        ),
        "Замещать может только учитель этой школы.",
    )
    services.substitution_assign(
        actor=world.user("deputy"), lesson=lesson, substitute=world.user("director"),
        reason="Больничный",
    )  # fmt: skip
    assert lesson.substitution.substitute == world.user("director")


def test_cell_history_is_one_read_by_school_and_cell_group_and_old_events_are_backfilled(
    world: World, lesson: Lesson, django_assert_num_queries: Callable
) -> None:
    """The history reads the audit by (school, group) — an index — not by scanning the JSON of
    every event; events written before the group existed get it from the migration."""
    import importlib

    from django.apps import apps

    teacher = world.user("teacher_7a_math")
    mark = _add(world, lesson, "4")
    services.absence_set(
        actor=teacher, lesson=lesson, student=world.pupil_7a, code=code(world, "н").code
    )
    assert (
        Event.objects.get(object_type="journal.mark").group_key
        == f"cell:{lesson.pk}:{world.pupil_7a.pk}"
    )
    append_only_lift()  # the backfill ran before the audit log refused updates (audit 0004)
    Event.objects.filter(object_type__startswith="journal.").update(group_key="")  # as before 0003
    backfill = importlib.import_module("otmetka.audit.migrations.0003_event_group")
    backfill.cell_groups_backfill(apps, None)
    cell_history(user=teacher, lesson=lesson, student=world.pupil_7a)  # the user's roles, once
    with django_assert_num_queries(2):  # the course's access check, then the events
        history = cell_history(user=teacher, lesson=lesson, student=world.pupil_7a)
    assert [h["action"] for h in history] == ["absence_set", "mark_add"]
    assert history[1]["after"]["value"] == mark.value
    assert cell_history(user=teacher, lesson=lesson, student=world.pupil_7b) == []


def test_a_substitute_busy_with_their_own_lesson_at_that_time_is_refused(
    world: World, lesson: Lesson
) -> None:
    """Левина was given lesson 6 while teaching her own lesson 6 (issue 15)."""
    own = lesson_on(world.course_7b_russian, lesson.date)  # the same bell number, 1
    call = lambda: services.substitution_assign(  # noqa: E731
        actor=world.user("deputy"), lesson=lesson, substitute=world.user("teacher_7b"),
        reason="Больничный",
    )  # fmt: skip
    _refused(
        call,
        "У этого учителя в это время свой урок: Русский язык — 7Б, урок 1. "
        "Выберите другого учителя.",
    )
    assert not Event.objects.filter(action="substitution_assign").exists()
    # Her own lesson cancelled, or at another bell: she is free.
    own.bell_number = 2
    own.save()
    assert call().substitute == world.user("teacher_7b")


@pytest.mark.parametrize(
    ("topic", "subject", "guess"),
    [
        ("Ghfrnbxtcrjt pfyznbt", "Математика", "Практическое занятие"),
        ("Ghfrnbxtcrjt pfyznbt", "Английский язык", "Практическое занятие"),
        ("Ltktybt lhj,tq, cjrhfotybt", "Математика", "Деление дробей, сокращение"),
        ("Present Simple", "Английский язык", ""),
        ("My family and friends", "Английский язык", ""),
    ],
)
def test_a_topic_typed_in_the_wrong_keyboard_layout_is_recognised(
    topic: str, subject: str, guess: str
) -> None:
    from otmetka.journal.validation import topic_warning, wrong_layout_guess

    assert wrong_layout_guess(topic) == guess
    warning = topic_warning(topic, subject)
    assert (f"«{guess}»" in warning) if guess else warning == ""
