"""The embassy-request rule, for every app that performs a service for a case.

A service (medical, CO, movement) is performed for a case only under an embassy
request that covers the case, asks for that service and is valid on the day.
Health, orientation and movements call :func:`require_service` before acting.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from passage.core.errors import ActionError
from passage.registry.choices import Service
from passage.registry.models import Case, EmbassyRequest


def covering_requests(case: Case, service: str, on_date: dt.date) -> list[EmbassyRequest]:
    """The embassy requests that authorise ``service`` for ``case`` on ``on_date``."""
    if service not in Service.values:
        raise ValueError(f"unknown service {service!r}")
    return list(
        EmbassyRequest.objects.filter(
            cases=case, valid_from__lte=on_date, valid_until__gte=on_date, **{service: True}
        ).select_related("embassy")
    )


def require_service(case: Case, service: str, on_date: dt.date) -> EmbassyRequest:
    """The covering request, or an ActionError that says why the service may not be done."""
    found = covering_requests(case, service, on_date)
    if found:
        return found[0]
    label = str(Service(service).label)
    others = EmbassyRequest.objects.filter(cases=case, **{service: True}).order_by("-valid_until")
    latest = others.first()
    if latest is None:
        message = _(
            "No embassy request covers %(service)s for case %(case)s. "
            "Record the embassy's request first."
        ) % {"service": label, "case": case.file_number}
    else:
        message = _(
            "The embassy request %(reference)s for %(service)s on case %(case)s is valid "
            "%(start)s to %(end)s, not on %(date)s."
        ) % {
            "reference": latest.reference,
            "service": label,
            "case": case.file_number,
            "start": latest.valid_from.isoformat(),
            "end": latest.valid_until.isoformat(),
            "date": on_date.isoformat(),
        }
    raise ActionError(message, code="no_embassy_request", field="embassy_request")
