from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VacConfig(AppConfig):
    name = "passage.vac"
    label = "vac"
    verbose_name = _("Visa application centre")

    def ready(self) -> None:
        from passage.core import nav
        from passage.vac import policy

        policy.register()
        nav.register(nav.NavItem("vac", _("Visa centre"), "vac:day", "vac.staff", 600))
