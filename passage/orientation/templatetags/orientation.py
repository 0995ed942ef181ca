"""``{% load orientation %}{% co_status case %}``: a case's CO status on any page."""

from __future__ import annotations

from typing import Any

from django import template

from passage.orientation import completion
from passage.registry.models import Case

register = template.Library()


@register.inclusion_tag("orientation/_case_status.html")
def co_status(case: Case) -> dict[str, Any]:
    """The caller has already checked that the user may see ``case``."""
    return {"co": completion.case_statuses([case])[case.pk], "co_labels": completion.state_labels()}
