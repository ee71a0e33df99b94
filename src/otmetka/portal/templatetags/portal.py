"""Template helpers of the public pages."""

from django import template

from otmetka.portal.selectors import school_key as _school_key
from otmetka.school.models import School

register = template.Library()


@register.filter
def school_key(school: School) -> str:
    """The school's part of its public addresses (its slug, else its id)."""
    return _school_key(school)
