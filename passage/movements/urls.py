from django.urls import path

from passage.movements import booking_views, views

app_name = "movements"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("flights/new/", views.flight_new, name="flight_new"),
    path("flights/<int:flight_id>/", views.flight_detail, name="flight"),
    path("manifests/<int:manifest_id>.<str:fmt>", views.manifest_file, name="manifest_file"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/new/", views.agreement_new, name="agreement_new"),
    path("agreements/<int:agreement_id>/", views.agreement_detail, name="agreement"),
    path("agreements/<int:agreement_id>/edit/", views.agreement_edit, name="agreement_edit"),
    path("book/<int:case_id>/", booking_views.book, name="book"),
    path("bookings/<int:booking_id>/", booking_views.booking_detail, name="booking"),
    path("bookings/<int:booking_id>/rebook/", booking_views.rebook, name="rebook"),
    path(
        "bookings/<int:booking_id>/<str:action>/",
        booking_views.booking_action,
        name="booking_action",
    ),
    path(
        "transit/<int:request_id>/confirm/", booking_views.transit_confirm, name="transit_confirm"
    ),
    path(
        "travellers/<int:traveller_id>/document/",
        booking_views.traveller_document,
        name="traveller_document",
    ),
    path("travellers/<int:traveller_id>/check-in/", booking_views.check_in, name="check_in"),
    path("day/", booking_views.departure_day, name="day"),
]
