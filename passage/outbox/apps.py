from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "passage.outbox"
    label = "outbox"
    verbose_name = _("Outbox")

    def ready(self) -> None:
        from passage.core import nav
        from passage.outbox import policy

        policy.register()
        nav.register(nav.NavItem("outbox", _("Outbox"), "outbox:list", "outbox.manage", 930))
