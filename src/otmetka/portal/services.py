"""Writes of the school's public pages: drafting news and documents with their files, the
approval workflow (submit → approve or return), the consent check (R19), the site's contacts,
help links and who may submit documents. Every step writes an audit event in its transaction."""

import datetime
import re
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from otmetka.access import portal as access
from otmetka.access.models import Role, RoleMembership
from otmetka.audit.services import event_record, snapshot
from otmetka.core.input import text_problem
from otmetka.core.validation import Errors, add, fail_if
from otmetka.journal.validation import homework_file_check, homework_file_content_check
from otmetka.people.models import Student
from otmetka.people.privacy_selectors import publication_consents
from otmetka.portal.images import display_copy, is_image_name
from otmetka.portal.markup import BODY_MAX
from otmetka.portal.models import HelpLink, Publication, PublicationFile, SiteProfile, Submitter

FILES_MAX = 10
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _clean(value: Any, *, limit: int, errors: Errors, field: str, required: bool = False) -> str:
    """The stripped text; problems (empty, too long, not storable) go to `errors`."""
    text = (value if isinstance(value, str) else "").strip()
    if required and not text:
        add(errors, field, _("This field is required."))
    elif len(text) > limit:
        add(errors, field, _("At most %(n)d characters.") % {"n": limit})
    elif text_problem(text):
        add(errors, field, text_problem(text))
    return text


# --- the consent check (R19) ----------------------------------------------------------------


def consent_problem(item: Publication) -> str:
    """Why the item may not be published for want of consents, or "" when it may.

    The ONE place of the R19 rule. A news item that names students needs a «разрешённое для
    распространения» consent in force of every student named, from the consent register of
    `people` (recorded on the student's personal data card). A news item that names students or
    shows a picture also needs the editor's tick that the consents were checked (audited): the
    register cannot know who is on a photo."""
    if item.kind != Publication.Kind.NEWS:
        return ""
    named = list(item.students.all())
    allowed = publication_consents([s.pk for s in named])
    missing = [str(s) for s in named if s.pk not in allowed]
    if missing:
        return _(
            "No consent to publish the personal data of %(names)s is recorded (R19): record it "
            "on the student's personal data card or remove the name."
        ) % {"names": ", ".join(missing)}
    pictures = any(f.is_image for f in item.files.all())
    if (named or pictures) and item.consent_checked_at is None:
        return _(
            "The item names students or shows a picture: tick that the publication consents "
            "of the students named were checked."
        )
    return ""


# --- drafting -------------------------------------------------------------------------------


def _students(school: Any, ids: Any, errors: Errors) -> list[Student]:
    """The school's students with these ids; a problem for any other id."""
    try:
        wanted = {int(i) for i in ids or ()}
    except (TypeError, ValueError):
        wanted = {-1}
    if any(not 0 < i < 2**63 for i in wanted):
        add(errors, "students", _("Choose students from the list."))
        return []
    found = list(Student.objects.filter(school=school, pk__in=wanted))
    if len(found) != len(wanted):
        add(errors, "students", _("Choose students from the list."))
    return found


def _fields(item: Publication, data: dict[str, Any], errors: Errors) -> None:
    """Set the item's text fields from `data`, collecting problems."""
    item.title = _clean(data.get("title"), limit=300, errors=errors, field="title", required=True)
    item.body = _clean(data.get("body"), limit=BODY_MAX, errors=errors, field="body")
    if item.kind == Publication.Kind.DOCUMENT:
        category = str(data.get("category") or "")
        if category not in Publication.Category.values:
            add(errors, "category", _("Choose a category."))
        item.category = category
        item.doc_number = _clean(
            data.get("doc_number"), limit=50, errors=errors, field="doc_number"
        )
        doc_date = data.get("doc_date")
        item.doc_date = doc_date if isinstance(doc_date, datetime.date) else None


def publication_save(
    *, actor: Any, school: Any, kind: str, item: Publication | None = None, **data: Any
) -> Publication:
    """Create a draft (`item` None) or change a draft or returned item: title, text, category,
    number and date (documents), students named and the consent tick (news)."""
    if item is None:
        if not access.may_draft(actor, school, kind):
            raise ValidationError(_("You may not draft this kind of item."))
        item = Publication(school=school, kind=kind, created_by=actor)
    else:
        access.require_edit(actor, school, item)
    before = snapshot(item) if item.pk else None
    errors: Errors = {}
    _fields(item, data, errors)
    students = _students(school, data.get("students"), errors) if kind == "news" else []
    fail_if(errors)
    with transaction.atomic():
        named = sorted(s.pk for s in students)
        before_named = sorted(item.students.values_list("pk", flat=True)) if item.pk else []
        was_checked = item.consent_checked_at is not None
        # The tick covers the students named when it was given: naming others asks for it anew.
        fresh = not was_checked or named != before_named
        if data.get("consent_checked") is True and kind == "news":
            if fresh:
                item.consent_checked_by, item.consent_checked_at = actor, timezone.now()
        else:
            item.consent_checked_by, item.consent_checked_at = None, None
        item.save()
        if kind == "news":
            item.students.set(students)
        after = {**snapshot(item), "students": named}
        action = "portal_item_update" if before else "portal_item_create"
        event_record(actor=actor, action=action, obj=item, before=before, after=after)
        checked = item.consent_checked_at is not None
        if was_checked != checked or (checked and fresh):
            event_record(
                actor=actor, action="portal_consent_check", obj=item,
                after={"checked": checked, "students": named},
            )  # fmt: skip
    return item


def publication_file_add(
    *, actor: Any, school: Any, item: Publication, upload: File[Any], alt: Any = ""
) -> PublicationFile:
    """Attach a file (the limits and type sniffing of homework files); a picture (JPEG, PNG)
    needs a description and gets a resized copy for the page."""
    access.require_edit(actor, school, item)
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:200]
    homework_file_check(name, int(getattr(upload, "size", 0) or 0))
    homework_file_content_check(name, upload)
    errors: Errors = {}
    picture = is_image_name(name)
    alt = _clean(alt, limit=300, errors=errors, field="alt", required=picture)
    fail_if(errors)
    copy = display_copy(upload) if picture else None
    with transaction.atomic():
        if item.files.count() >= FILES_MAX:
            raise ValidationError(_("At most %(n)d files per item.") % {"n": FILES_MAX})
        row = PublicationFile(
            school=school, publication=item, name=name, size=upload.size or 0,
            alt=alt if picture else "", uploaded_by=actor,
        )  # fmt: skip
        stem = uuid.uuid4().hex
        row.file.save(f"{stem}.{name.rsplit('.', 1)[-1].lower()}", upload, save=False)
        if copy is not None:
            row.display.save(f"{stem}-page.{copy[1]}", copy[0], save=False)
        row.save()
        event_record(actor=actor, action="portal_file_add", obj=row, after=_file_facts(row))
    return row


def _file_facts(row: PublicationFile) -> dict[str, Any]:
    return {
        "publication": row.publication_id, "name": row.name, "size": row.size, "alt": row.alt,
        "picture": row.is_image,
    }  # fmt: skip


def publication_file_remove(*, actor: Any, school: Any, row: PublicationFile) -> None:
    """Take a file off a draft or returned item (the event keeps its name)."""
    access.require_edit(actor, school, row.publication)
    with transaction.atomic():
        event_record(actor=actor, action="portal_file_remove", obj=row, before=_file_facts(row))
        row.delete()


# --- the workflow ---------------------------------------------------------------------------


def _ready_problems(item: Publication) -> Errors:
    errors: Errors = {}
    if item.kind == Publication.Kind.DOCUMENT:
        if not item.category:
            add(errors, "category", _("Choose a category."))
        if not item.files.exists():
            add(errors, "__all__", _("Attach the document's file."))
    elif not item.body.strip():
        add(errors, "body", _("Write the text of the news item."))
    consent = consent_problem(item)
    if consent:
        add(errors, "__all__", consent)
    return errors


def _move(actor: Any, item: Publication, action: str, **changes: Any) -> None:
    before = snapshot(item)
    for field, value in changes.items():
        setattr(item, field, value)
    item.save()
    event_record(actor=actor, action=action, obj=item, before=before, after=snapshot(item))


def publication_submit(*, actor: Any, school: Any, item: Publication) -> Publication:
    """A draft or returned item goes to the director for approval."""
    access.require_edit(actor, school, item)
    with transaction.atomic():
        item = Publication.objects.select_for_update().get(pk=item.pk)
        if item.state not in ("draft", "returned"):
            raise ValidationError(_("The item has already been submitted."))
        fail_if(_ready_problems(item))
        _move(actor, item, "portal_submit", state="pending", submitted_by=actor,
              submitted_at=timezone.now())  # fmt: skip
        directors = RoleMembership.objects.filter(school=school, role=Role.DIRECTOR)
        _notify(actor, school, item, set(directors.values_list("user_id", flat=True)),
                _("For approval: %(title)s") % {"title": item.title})  # fmt: skip
    return item


def publication_approve(*, actor: Any, school: Any, item: Publication) -> Publication:
    """The director approves a submitted item: it is public from now on."""
    access.require_approve(actor, school)
    with transaction.atomic():
        item = Publication.objects.select_for_update().get(pk=item.pk)
        if item.state != "pending":
            raise ValidationError(_("Only an item awaiting approval can be approved."))
        fail_if(_ready_problems(item))
        now = timezone.now()
        _move(actor, item, "portal_approve", state="published", decided_by=actor, decided_at=now,
              published_at=now, return_comment="")  # fmt: skip
        _notify(actor, school, item, _authors(item),
                _("Published: %(title)s") % {"title": item.title})  # fmt: skip
    return item


def publication_return(*, actor: Any, school: Any, item: Publication, comment: Any) -> Publication:
    """The director returns a submitted item with a comment; it is not public."""
    access.require_approve(actor, school)
    errors: Errors = {}
    comment = _clean(comment, limit=2000, errors=errors, field="comment", required=True)
    fail_if(errors)
    with transaction.atomic():
        item = Publication.objects.select_for_update().get(pk=item.pk)
        if item.state != "pending":
            raise ValidationError(_("Only an item awaiting approval can be returned."))
        _move(actor, item, "portal_return", state="returned", decided_by=actor,
              decided_at=timezone.now(), return_comment=comment)  # fmt: skip
        _notify(actor, school, item, _authors(item),
                _("Returned: %(title)s") % {"title": item.title})  # fmt: skip
    return item


def publication_withdraw(*, actor: Any, school: Any, item: Publication) -> Publication:
    """The web editor or the director takes a published item off the public pages (a draft
    again, to be submitted anew)."""
    if not access.sees_whole_queue(actor, school):
        raise ValidationError(_("You may not withdraw items."))
    with transaction.atomic():
        item = Publication.objects.select_for_update().get(pk=item.pk)
        if item.state != "published":
            raise ValidationError(_("Only a published item can be withdrawn."))
        _move(actor, item, "portal_withdraw", state="draft", published_at=None)
    return item


def _authors(item: Publication) -> set[int]:
    return {i for i in (item.created_by_id, item.submitted_by_id) if i}


def _notify(actor: Any, school: Any, item: Publication, user_ids: set[int], subject: str) -> None:
    """An in-app message (and e-mail, by the recipients' settings) through messaging. A refusal
    of messaging (its hourly limit) never stops the workflow: the queue shows the state too."""
    from otmetka.messaging.services import thread_start

    user_ids.discard(actor.pk)
    if not user_ids:
        return
    body = _("«%(title)s» — %(state)s.") % {"title": item.title, "state": item.get_state_display()}
    if item.return_comment and item.state == "returned":
        body += "\n" + _("Comment: %(text)s") % {"text": item.return_comment}
    body += "\n" + reverse("portal:item", args=[item.pk])
    try:
        thread_start(
            actor=actor, school=school, subject=subject[:200], body=body,
            user_ids=sorted(user_ids), audience=_("School website"),
        )  # fmt: skip
    except ValidationError:
        pass


# --- the site: address, contacts, help links, submitters ------------------------------------


def site_save(*, actor: Any, school: Any, **data: Any) -> SiteProfile:
    """The public address (slug), contacts and director's name shown on the home page."""
    if not access.may_edit_site(actor, school):
        raise ValidationError(_("Only the website administrator edits the site."))
    profile = SiteProfile.objects.filter(school=school).first() or SiteProfile(school=school)
    errors: Errors = {}
    slug = _clean(data.get("slug"), limit=60, errors=errors, field="slug").lower()
    if slug and (not SLUG_RE.fullmatch(slug) or slug.isdigit()):
        add(errors, "slug", _("Use latin letters, digits and hyphens (not digits alone)."))
    elif slug and type(school).objects.filter(slug=slug).exclude(pk=school.pk).exists():
        add(errors, "slug", _("This address is taken by another school."))
    limits = {"address": 400, "phone": 100, "email": 200, "director_name": 200, "about": 5000}
    values = {f: _clean(data.get(f), limit=n, errors=errors, field=f) for f, n in limits.items()}
    if values["email"] and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", values["email"]):
        add(errors, "email", _("Enter a valid e-mail address."))
    fail_if(errors)
    with transaction.atomic():
        before = {**snapshot(profile), "slug": school.slug} if profile.pk else None
        for field, value in values.items():
            setattr(profile, field, value)
        profile.save()
        if (school.slug or "") != slug:
            school.slug = slug or None
            school.save(update_fields=["slug"])
        after = {**snapshot(profile), "slug": school.slug}
        event_record(actor=actor, action="portal_site_update", obj=profile, before=before,
                     after=after)  # fmt: skip
    return profile


def help_link_add(*, actor: Any, school: Any, **data: Any) -> HelpLink:
    """A help link for everyone or for one group of users (published at once: 8.3)."""
    if not access.may_edit_site(actor, school):
        raise ValidationError(_("Only the website administrator edits the site."))
    errors: Errors = {}
    title = _clean(data.get("title"), limit=200, errors=errors, field="title", required=True)
    url = _clean(data.get("url"), limit=500, errors=errors, field="url", required=True)
    if url and not (url.startswith(("https://", "http://")) or url.startswith("/")):
        add(errors, "url", _("The address starts with https://, http:// or /."))
    audience = str(data.get("audience") or "")
    if audience not in HelpLink.Audience.values:
        add(errors, "audience", _("Choose for whom the link is."))
    fail_if(errors)
    with transaction.atomic():
        position = HelpLink.objects.filter(school=school).count()
        link = HelpLink.objects.create(
            school=school, title=title, url=url, audience=audience, position=position
        )
        event_record(actor=actor, action="portal_help_add", obj=link, after=snapshot(link))
    return link


def help_link_remove(*, actor: Any, school: Any, link: HelpLink) -> None:
    if not access.may_edit_site(actor, school) or link.school_id != school.pk:
        raise ValidationError(_("Only the website administrator edits the site."))
    with transaction.atomic():
        event_record(actor=actor, action="portal_help_remove", obj=link, before=snapshot(link))
        link.delete()


def submitter_set(*, actor: Any, school: Any, user_id: Any, allowed: bool) -> None:
    """The admin allows a staff member of the school to submit documents, or takes it back."""
    from otmetka.access.rules import staff_now

    if not access.may_choose_submitters(actor, school):
        raise ValidationError(_("Only the administrator chooses who submits documents."))
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        pk = 0
    if not 0 < pk < 2**63 or not staff_now(school).filter(pk=pk).exists():
        raise ValidationError(_("Choose a member of staff from the list."))
    with transaction.atomic():
        row = Submitter.objects.filter(school=school, user_id=pk).first()
        if allowed and row is None:
            row = Submitter.objects.create(school=school, user_id=pk)
            event_record(actor=actor, action="portal_submitter_add", obj=row, after=snapshot(row))
        elif not allowed and row is not None:
            event_record(actor=actor, action="portal_submitter_remove", obj=row,
                         before=snapshot(row))  # fmt: skip
            row.delete()
