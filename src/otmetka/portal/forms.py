"""Forms of the website's staff pages: an item, a file, the director's comment, the site's
contacts, a help link, a submitter."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from otmetka.core.forms import RuDateField, choice_field
from otmetka.core.input import CleanTextForm
from otmetka.portal.markup import BODY_MAX
from otmetka.portal.models import HelpLink, Publication


class PublicationForm(CleanTextForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Simple formatting: a blank line between paragraphs, **bold**, *italics*, "
            "«- » for a list, [text](https://address) for a link, «## » for a heading."
        ),
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "—"), *Publication.Category.choices]
    )
    doc_number = forms.CharField(label=_("Number"), max_length=50, required=False)
    doc_date = RuDateField(label=_("Date of the document"), required=False)
    students = forms.TypedMultipleChoiceField(
        label=_("Students named or shown"), coerce=int, required=False, choices=()
    )
    consent_checked = forms.BooleanField(
        label=_(
            "I have checked that every student named or shown has a consent to publication "
            "(«разрешённые для распространения»)"
        ),
        required=False,
    )

    def __init__(self, *args: Any, kind: str, students: list[tuple[int, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        if kind == "news":
            for name in ("category", "doc_number", "doc_date"):
                del self.fields[name]
            choice_field(self, "students").choices = students
            self.fields["students"].widget.attrs["size"] = 8
        else:
            del self.fields["students"], self.fields["consent_checked"]


class FileForm(CleanTextForm):
    upload = forms.FileField(label=_("File"))
    alt = forms.CharField(
        label=_("Description of the picture (for those who cannot see it)"),
        max_length=300,
        required=False,
    )


class ReturnForm(CleanTextForm):
    comment = forms.CharField(
        label=_("What to change"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SiteForm(CleanTextForm):
    slug = forms.CharField(
        label=_("Address of the public pages"),
        max_length=60,
        required=False,
        help_text=_("Latin letters, digits and hyphens: /s/<address>/."),
    )
    address = forms.CharField(label=_("Address"), max_length=400, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=100, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=200, required=False)
    director_name = forms.CharField(
        label=_("Director"),
        max_length=200,
        required=False,
        help_text=_("Empty: the name of the director's account."),
    )
    about = forms.CharField(
        label=_("About the school"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class HelpLinkForm(CleanTextForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.CharField(label=_("Address"), max_length=500)
    audience = forms.ChoiceField(label=_("For whom"), choices=HelpLink.Audience.choices)


class SubmitterForm(CleanTextForm):
    user = forms.TypedChoiceField(label=_("Member of staff"), coerce=int, choices=())

    def __init__(self, *args: Any, staff: list[tuple[int, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        choice_field(self, "user").choices = staff
