from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "passage.outbox"
    label = "outbox"
