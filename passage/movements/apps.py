from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementsConfig(AppConfig):
    name = "passage.movements"
    label = "movements"
    verbose_name = _("Movements")

    def ready(self) -> None:
        from passage.core import nav
        from passage.movements import policy

        policy.register()
        nav.register(
            nav.NavItem(
                "movements", _("Departures"), "movements:calendar", "movements.view", order=500
            )
        )
