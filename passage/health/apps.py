from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "passage.health"
    label = "health"
