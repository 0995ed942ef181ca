from django.apps import AppConfig


class OrientationConfig(AppConfig):
    name = "passage.orientation"
    label = "orientation"
