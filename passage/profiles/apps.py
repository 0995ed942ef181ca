from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "passage.profiles"
    label = "profiles"
