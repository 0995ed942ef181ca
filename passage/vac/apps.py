from django.apps import AppConfig


class VacConfig(AppConfig):
    name = "passage.vac"
    label = "vac"
