from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "passage.tickets"
    label = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        from passage.core import nav
        from passage.tickets import policy

        policy.register()
        nav.register(
            nav.NavItem("tickets", _("Ticket counter"), "tickets:counter", "tickets.view", 550)
        )
