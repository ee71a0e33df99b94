"""Forms of messaging: a new message, a reply, a report, the e-mail setting, the search."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from otmetka.core.forms import choice_field
from otmetka.core.input import CleanTextForm


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one field (up to five, checked by the service)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(FilesField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ComposeForm(CleanTextForm):
    to = forms.TypedMultipleChoiceField(
        label=pgettext_lazy("message", "To"), coerce=int, required=False, choices=()
    )
    groups = forms.MultipleChoiceField(label=_("Groups"), required=False, choices=())
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    announcement = forms.BooleanField(label=_("Announcement (no replies)"), required=False)
    needs_ack = forms.BooleanField(label=_("Ask to confirm «Read and understood»"), required=False)
    # The metaclass moves declared fields off the class: `files` does not shadow `Form.files`.
    files = FilesField(label=_("Files"), required=False)  # type: ignore[assignment]

    def __init__(
        self,
        *args: Any,
        people: list[tuple[int, str]],
        groups: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "to").choices = people
        self.fields["to"].widget.attrs["size"] = 8
        choice_field(self, "groups").choices = groups
        if not groups:
            for name in ("groups", "announcement", "needs_ack"):
                del self.fields[name]


class ReplyForm(CleanTextForm):
    body = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 4}))
    to_user = forms.CharField(required=False, widget=forms.HiddenInput)
    # The metaclass moves declared fields off the class: `files` does not shadow `Form.files`.
    files = FilesField(label=_("Files"), required=False)  # type: ignore[assignment]


class ReportForm(CleanTextForm):
    reason = forms.CharField(label=_("What is wrong"), max_length=1000)


class NotificationForm(forms.Form):
    """A channel for each kind of news the user gets, and the hour of the daily digest."""

    digest_hour = forms.TypedChoiceField(
        label=_("Daily digest at"),
        coerce=int,
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        required=False,
        empty_value=None,
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        from otmetka.messaging.models import KIND_CHANNELS, Channel, MailSetting

        super().__init__(*args, **kwargs)
        labels = dict(Channel.choices)
        fields: dict[str, forms.Field] = {}
        for kind in kinds:
            fields[kind] = forms.ChoiceField(
                label=MailSetting._meta.get_field(kind).verbose_name,  # type: ignore[union-attr]
                choices=[(c, labels[c]) for c in KIND_CHANNELS[kind]],
                widget=forms.RadioSelect,
                required=False,  # not sent: stays as it is
            )
        fields["digest_hour"] = self.fields.pop("digest_hour")
        self.fields = fields  # kinds first, the hour last


class SearchForm(CleanTextForm):
    q = forms.CharField(label=_("Text"), required=False, max_length=200)
    person = forms.CharField(label=_("Person"), required=False, max_length=100)
