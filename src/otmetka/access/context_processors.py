from typing import Any

from django.http import HttpRequest


def current_school(request: HttpRequest) -> dict[str, Any]:
    return {
        "school": getattr(request, "school", None),
        "user_schools": getattr(request, "user_schools", []),
    }
