from django.urls import path

from passage.ledger import views

app_name = "ledger"

urlpatterns = [
    path("takings/", views.takings, name="takings"),
    path("rates/", views.rates, name="rates"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("entries/<int:entry_id>/correct/", views.correct, name="correct"),
]
