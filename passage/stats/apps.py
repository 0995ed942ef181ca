from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "passage.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from passage.core import nav
        from passage.stats import policy, providers

        policy.register()
        providers.register_available()
        nav.register(
            nav.NavItem("statistics", _("Statistics"), "stats:departures", "stats.view", 80)
        )
