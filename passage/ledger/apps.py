from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "passage.ledger"
    label = "ledger"
