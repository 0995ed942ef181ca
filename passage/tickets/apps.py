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
        from django.urls import reverse

        from passage.ledger import owners

        def sale_page(account: object) -> str:
            sale_id = str(getattr(account, "subject_id", "")) or "0"
            return reverse("tickets:sale", args=[int(sale_id)]) if sale_id.isdigit() else ""

        owners.register("tickets.", sale_page)
        nav.register(
            nav.NavItem("tickets", _("Ticket counter"), "tickets:counter", "tickets.view", 550)
        )
