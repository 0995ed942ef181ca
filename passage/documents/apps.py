from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "passage.documents"
    label = "documents"
