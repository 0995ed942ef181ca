"""Health records in the read-only admin, behind the same policy.

Medical detail needs ``health.view_detail`` (medical officers), and medical officers
have no admin-site access, so in practice nobody reads medical detail here; a detail
page opened anyway is audited like any other read.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from passage.core import audit
from passage.core.admin import PolicyAdmin, site
from passage.core.models import User


class MedicalDetailAdmin(PolicyAdmin):
    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200 and isinstance(request.user, User):
            audit.record(
                actor=request.user,
                action="health.view_detail",
                object_type=self.model._meta.label_lower,
                object_id=str(object_id),
                extra={"via": "admin"},
            )
        return response


def register() -> None:
    from passage.health import models as m

    for model in (
        m.Assessment,
        m.TbTest,
        m.Condition,
        m.Treatment,
        m.Vaccination,
        m.Pregnancy,
        m.FitToFlyCertificate,
        m.TravelNeeds,
        m.DepartureCheck,
    ):
        if not site.is_registered(model):
            site.register(model, MedicalDetailAdmin)
    for plain in (m.Clinic, m.MedicalTravelRules):
        if not site.is_registered(plain):
            site.register(plain, PolicyAdmin)
