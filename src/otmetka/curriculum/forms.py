"""Forms of the curriculum's setup pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from otmetka.access.rules import teachers_of
from otmetka.accounts.models import User
from otmetka.core.forms import RuDateField, SetupForm, model_choices
from otmetka.core.input import CleanTextForm
from otmetka.curriculum.models import AssessmentMode, Course, CourseKind, Subject
from otmetka.people.models import Student
from otmetka.school.models import AcademicYear, Bell, SchoolClass


class SubjectForm(SetupForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=50, required=False)
    position = forms.IntegerField(
        label=_("List position"), initial=100, help_text=_("Subjects are listed by this number.")
    )


class BellForm(SetupForm):
    number = forms.IntegerField(label=_("Lesson number"), min_value=1, max_value=12)
    start = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    schedule = forms.CharField(
        label=_("Bell schedule"),
        max_length=50,
        required=False,
        initial="1 смена",
        help_text=_("For example «1 смена»; a second shift has its own schedule."),
    )


class CourseForm(SetupForm):
    """A course of the current year: subject, class or group, teachers, hours, members."""

    subject = forms.ModelChoiceField(label=_("Subject"), queryset=Subject.objects.none())
    school_class = forms.ModelChoiceField(
        label=_("Class"),
        queryset=SchoolClass.objects.none(),
        required=False,
        help_text=_("Empty for a group of students from several classes."),
    )
    name = forms.CharField(
        label=_("Group name"),
        max_length=100,
        required=False,
        help_text=_("For a group of a class (English, group 1) or a cross-class group."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CourseKind.choices)
    assessment = forms.ChoiceField(label=_("Assessment"), choices=AssessmentMode.choices)
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"), max_digits=4, decimal_places=1, initial=1
    )
    teachers = forms.ModelMultipleChoiceField(
        label=_("Teachers"), queryset=User.objects.none(), required=False
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Group members"),
        queryset=Student.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for groups; empty: the whole class."),
    )
    members_from = RuDateField(label=_("Group members from"), required=False)

    def setup_fields(self) -> None:
        from otmetka.curriculum import selectors

        year = self.year
        model_choices(self, "subject").queryset = selectors.subjects_of(school=self.school)
        classes = selectors.classes_of(school=self.school, year=year)
        model_choices(self, "school_class").queryset = classes
        model_choices(self, "teachers").queryset = teachers_of(self.school)
        enrollments = list(selectors.students_for_groups(school=self.school, year=year))
        model_choices(self, "members").queryset = Student.objects.filter(
            pk__in=[e.student_id for e in enrollments]
        )
        # Grouped by class (the page's picker shows one class at a time, with a search).
        by_class: dict[str, list[tuple[int, str]]] = {}
        for e in enrollments:
            by_class.setdefault(str(e.school_class), []).append((e.student_id, e.student.full_name))
        model_choices(self, "members").choices = list(by_class.items())

    def initial_from(self, obj: Any) -> dict[str, Any]:
        from otmetka.curriculum import selectors

        initial = super().initial_from(obj)
        initial["teachers"] = list(obj.teachers.all())
        initial["members"] = selectors.course_member_ids(course=obj)
        return initial

    def __init__(self, *args: Any, year: AcademicYear, **kwargs: Any) -> None:
        self.year = year
        super().__init__(*args, **kwargs)


class LessonMoveForm(CleanTextForm):
    date = RuDateField(label=_("New date"))
    bell = forms.ModelChoiceField(label=_("Lesson number"), queryset=Bell.objects.none())
    room = forms.CharField(label=_("Room"), max_length=30, required=False)

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choices(self, "bell").queryset = Bell.objects.filter(school=school)


class LessonCancelForm(CleanTextForm):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class ExtraLessonForm(CleanTextForm):
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    date = RuDateField(label=_("Date"))
    bell = forms.ModelChoiceField(label=_("Lesson number"), queryset=Bell.objects.none())
    room = forms.CharField(label=_("Room"), max_length=30, required=False)

    def __init__(self, *args: Any, school: Any, year: AcademicYear, **kwargs: Any) -> None:
        from otmetka.curriculum import selectors

        super().__init__(*args, **kwargs)
        model_choices(self, "course").queryset = selectors.course_rows(school=school, year=year)
        model_choices(self, "bell").queryset = Bell.objects.filter(school=school)


class TeacherRangeForm(CleanTextForm):
    teacher = forms.ModelChoiceField(label=_("Teacher"), queryset=User.objects.none())
    start = RuDateField(label=_("From"))
    end = RuDateField(label=_("To"))

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:

        super().__init__(*args, **kwargs)
        model_choices(self, "teacher").queryset = teachers_of(school)


class SubstituteForm(CleanTextForm):
    lesson = forms.IntegerField(widget=forms.HiddenInput)
    substitute = forms.ModelChoiceField(label=_("Substitute"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:

        super().__init__(*args, **kwargs)
        model_choices(self, "substitute").queryset = teachers_of(school)
