from django.urls import path

from passage.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.departures, name="departures"),
    path("export/", views.export, name="export"),
    path("records/", views.records, name="records"),
    path("records/export/", views.records_export, name="records_export"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("pipeline/cases/", views.pipeline_case_list, name="pipeline_cases"),
]
