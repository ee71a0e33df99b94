"""Reads of the school's public pages (published items only, for anyone) and of the staff's
queue (through `access.portal`). Each page reads a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from otmetka.access import portal as access
from otmetka.access.models import Role, RoleMembership
from otmetka.accounts.models import User
from otmetka.core.input import ID_MAX
from otmetka.people.models import Student
from otmetka.portal.models import HelpLink, Publication, PublicationFile, SiteProfile
from otmetka.school.models import Region, School

NEWS_PAGE = 20
PUBLISHED = "published"


def _id(pk: Any) -> int:
    """A row id from the address; 404 for one no database holds."""
    if not isinstance(pk, int) or not 0 < pk <= ID_MAX:
        raise Http404
    return pk


def school_key(school: School) -> str:
    """The school's part of its public addresses: its slug, else its id."""
    return school.slug or str(school.pk)


def school_keys() -> list[str]:
    """The public address part of every school (the sitemap)."""
    return [school_key(s) for s in School.objects.only("pk", "slug").order_by("pk")]


def public_school(key: str) -> School:
    """The school of a public address (/s/<slug>/, or /s/<id>/ for a school without a slug);
    404 otherwise."""
    schools = School.objects.select_related("district__region", "site")
    if key.isdigit():
        found = schools.filter(pk=_id(int(key[:20])), slug__isnull=True).first()
    else:
        found = schools.filter(slug=key).first()
    if found is None:
        raise Http404
    return found


def site_profile(school: School) -> SiteProfile:
    """The school's contacts (an empty profile when none is saved; no query then)."""
    try:
        return school.site
    except SiteProfile.DoesNotExist:
        return SiteProfile(school=school)


def director_name(school: School, profile: SiteProfile) -> str:
    """The name the profile gives, else the full name of the director's account."""
    if profile.director_name:
        return profile.director_name
    director = (
        User.objects.filter(
            pk__in=RoleMembership.objects.filter(school=school, role=Role.DIRECTOR).values(
                "user_id"
            )
        )
        .order_by("pk")
        .first()
    )
    return director.full_name if director is not None else ""


def published(school: School, kind: str) -> QuerySet[Publication]:
    return Publication.objects.filter(school=school, kind=kind, state=PUBLISHED).order_by(
        "-published_at", "-pk"
    )


def _with_files() -> Prefetch[Any]:
    return Prefetch("files", queryset=PublicationFile.objects.order_by("pk"))


def latest_news(school: School, limit: int = 5) -> list[Publication]:
    return list(published(school, "news").prefetch_related(_with_files())[:limit])


def news_page(school: School, page: Any) -> tuple[list[Publication], int, bool]:
    """One page of the published news (newest first), its number and whether there is more."""
    try:
        number = max(1, min(int(page or 1), 10_000))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * NEWS_PAGE
    rows = list(
        published(school, "news").prefetch_related(_with_files())[start : start + NEWS_PAGE + 1]
    )
    return rows[:NEWS_PAGE], number, len(rows) > NEWS_PAGE


def public_item(school: School, kind: str, pk: int) -> Publication:
    """A published item of the school with its files; 404 for anything else."""
    found = published(school, kind).prefetch_related(_with_files()).filter(pk=_id(pk)).first()
    if found is None:
        raise Http404
    return found


@dataclass
class Category:
    key: str
    label: str
    items: list[Publication] = field(default_factory=list)


def documents_by_category(school: School) -> list[Category]:
    """The published documents grouped in the order of the categories (empty ones too)."""
    groups = {k: Category(k, str(label)) for k, label in Publication.Category.choices}
    rows = (
        published(school, "document").select_related("decided_by").prefetch_related(_with_files())
    )
    for item in rows.order_by("category", "-doc_date", "-published_at"):
        if item.category in groups:
            groups[item.category].items.append(item)
    return list(groups.values())


def help_links(school: School) -> list[HelpLink]:
    return list(HelpLink.objects.filter(school=school))


def help_link(school: School, pk: int) -> HelpLink:
    """One help link of the school; 404 otherwise."""
    found = HelpLink.objects.filter(school=school, pk=_id(pk)).first()
    if found is None:
        raise Http404
    return found


def public_file(school: School, pk: int) -> PublicationFile:
    """A file of a published item (404 for a draft's file or another school's)."""
    found = (
        PublicationFile.objects.filter(
            school=school, pk=_id(pk), publication__state=PUBLISHED, publication__school=school
        )
        .select_related("publication")
        .first()
    )
    if found is None:
        raise Http404
    return found


def region_schools(region_id: int) -> tuple[Region, list[School]]:
    """A region and its schools (by district and name) for the region's public page."""
    region = Region.objects.filter(pk=_id(region_id)).first()
    if region is None:
        raise Http404
    schools = School.objects.filter(district__region=region).select_related("district")
    return region, list(schools.order_by("district__name", "short_name"))


def regions() -> list[Region]:
    return list(Region.objects.annotate(schools=Count("district__school")).order_by("name"))


def sitemap_items() -> QuerySet[Publication]:
    """Every published item of every school (the sitemap), with its school for the address."""
    return (
        Publication.objects.filter(state=PUBLISHED)
        .select_related("school")
        .order_by("school_id", "-published_at")
    )


# --- the staff's pages ----------------------------------------------------------------------


@dataclass
class Queue:
    items: list[Publication]
    counts: dict[str, int]
    state: str


def queue(*, user: Any, school: Any, state: str = "") -> Queue:
    """The items the user sees (access.portal.queue_q), by state, with the count per state."""
    seen = Publication.objects.filter(access.queue_q(user, school))
    counts = dict(seen.values_list("state").annotate(n=Count("pk")).order_by())
    if state in Publication.State.values:
        seen = seen.filter(state=state)
    else:
        state = ""
    rows = seen.select_related("created_by", "submitted_by").order_by("-updated_at", "-pk")
    return Queue(items=list(rows[:200]), counts=counts, state=state)


def item_view(*, user: Any, school: Any, item_id: Any) -> Publication:
    """An item of the user's queue with its files and students named; 404 otherwise."""
    item = access.item_access(user, school, item_id)
    found = (
        Publication.objects.filter(pk=item.pk)
        .select_related("created_by", "submitted_by", "decided_by", "consent_checked_by")
        .prefetch_related(_with_files(), "students")
        .get()
    )
    return found


def staff_file(*, user: Any, school: Any, file_id: int) -> PublicationFile:
    """A file of an item in the user's queue (drafts included); 404 otherwise."""
    found = (
        PublicationFile.objects.filter(
            Q(publication__in=Publication.objects.filter(access.queue_q(user, school))),
            pk=_id(file_id),
        )
        .select_related("publication")
        .first()
    )
    if found is None:
        raise Http404
    return found


def student_choices(school: Any) -> list[tuple[int, str]]:
    """The school's students to name in a news item (the consent check follows them)."""
    rows = Student.objects.filter(school=school).order_by("last_name", "first_name", "pk")
    return [(s.pk, str(s)) for s in rows]


def submitters(school: Any) -> list[User]:
    from otmetka.portal.models import Submitter

    ids = Submitter.objects.filter(school=school).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("last_name", "first_name"))


def pending_count(school: Any) -> int:
    """Items awaiting the director's decision (the director's home page)."""
    return Publication.objects.filter(school=school, state="pending").count()
