from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "passage.ledger"
    label = "ledger"
    verbose_name = _("Ledger")

    def ready(self) -> None:
        from passage.core import nav
        from passage.ledger import policy

        policy.register()
        nav.register(nav.NavItem("ledger", _("Takings"), "ledger:takings", "ledger.view", 700))
