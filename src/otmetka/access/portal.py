"""Who may do what on the school's public pages (issue 16). Fail-closed like `rules`.

* anyone, logged in or not, reads the published items of any school (the public pages);
* the web editor drafts news and documents, edits the site's contacts and help links, and sees
  the school's whole queue;
* the deputy, and the staff the admin allows (`portal.Submitter`), draft and submit documents;
  they see their own items in the queue;
* only the director approves or returns; the director sees the whole queue;
* the admin chooses who else submits documents;
* nothing crosses schools: every answer is about the current school.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from otmetka.access.models import Role
from otmetka.access.rules import school_roles

if TYPE_CHECKING:
    from otmetka.portal.models import Publication

NEWS, DOCUMENT = "news", "document"


def _roles(user: Any, school: Any) -> set[str]:
    return school_roles(user, school) - {Role.REGION_VIEWER}


def is_allowed_submitter(user: Any, school: Any) -> bool:
    """Whether the admin has allowed this staff member to submit documents."""
    from otmetka.portal.models import Submitter

    if school is None or not getattr(user, "is_authenticated", False) or not _roles(user, school):
        return False
    return Submitter.objects.filter(school=school, user_id=user.pk).exists()


def may_draft(user: Any, school: Any, kind: str) -> bool:
    """News: the web editor. Documents: the web editor, the deputy and the allowed staff."""
    roles = _roles(user, school)
    if Role.WEB_EDITOR in roles:
        return kind in (NEWS, DOCUMENT)
    if kind != DOCUMENT:
        return False
    return Role.DEPUTY in roles or is_allowed_submitter(user, school)


def may_approve(user: Any, school: Any) -> bool:
    """Only the school's director approves or returns an item."""
    return Role.DIRECTOR in _roles(user, school)


def may_edit_site(user: Any, school: Any) -> bool:
    """The site's address, contacts and help links: the web editor."""
    return Role.WEB_EDITOR in _roles(user, school)


def may_choose_submitters(user: Any, school: Any) -> bool:
    """Who else submits documents: the admin."""
    return Role.ADMIN in _roles(user, school)


def sees_whole_queue(user: Any, school: Any) -> bool:
    return bool(_roles(user, school) & {Role.WEB_EDITOR, Role.DIRECTOR})


def uses_portal_by_role(user: Any, school: Any) -> bool:
    """The web editor, the director, the admin and the deputy: read with the roles, no query
    of its own (the menu asks it on every page)."""
    staff = {Role.WEB_EDITOR, Role.DIRECTOR, Role.ADMIN, Role.DEPUTY}
    return school is not None and bool(_roles(user, school) & staff)


def uses_portal(user: Any, school: Any) -> bool:
    """Whether the staff pages of the website open for the user: the roles above, and the
    staff the admin allowed to submit documents (one query for them)."""
    return uses_portal_by_role(user, school) or may_draft(user, school, DOCUMENT)


def require_use(user: Any, school: Any) -> None:
    if not uses_portal(user, school):
        raise Http404


def queue_q(user: Any, school: Any) -> Q:
    """The school's items the user sees among the staff pages: all of them for the web editor
    and the director, one's own for the other submitters, none for anyone else."""
    if school is None:
        return Q(pk__in=[])
    if sees_whole_queue(user, school):
        return Q(school_id=school.pk)
    if may_draft(user, school, DOCUMENT):
        return Q(school_id=school.pk, created_by_id=user.pk)
    return Q(pk__in=[])


def item_access(user: Any, school: Any, item_id: Any) -> Publication:
    """The item if the user sees it in the queue; 404 for a missing, foreign or unseen one."""
    from otmetka.portal.models import Publication

    try:
        pk = int(item_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**63:
        raise Http404
    found = Publication.objects.filter(queue_q(user, school), pk=pk).first()
    if found is None:
        raise Http404
    return found


def may_edit_item(user: Any, school: Any, item: Publication) -> bool:
    """A draft or a returned item is edited by whoever may draft its kind and sees it."""
    return item.state in ("draft", "returned") and may_draft(user, school, item.kind)


def require_edit(user: Any, school: Any, item: Publication) -> None:
    """403 when the user sees the item but may not change it now."""
    if not may_edit_item(user, school, item):
        raise PermissionDenied


def require_approve(user: Any, school: Any) -> None:
    if not may_approve(user, school):
        raise PermissionDenied
