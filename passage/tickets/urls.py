from django.urls import path, re_path

from passage.tickets import registration_views, views

app_name = "tickets"

urlpatterns = [
    path("", views.counter, name="counter"),
    path("register/", registration_views.register, name="register"),
    path("register/row/", registration_views.register_row, name="register_row"),
    path("cases/<int:case_id>/", views.case_counter, name="case"),
    path("cases/<int:case_id>/quote/", views.quote, name="quote"),
    path("sales/<int:sale_id>/", views.sale_detail, name="sale"),
    path("sales/<int:sale_id>/book/", views.sale_book, name="book"),
    path("sales/<int:sale_id>/pay/", views.sale_pay, name="pay"),
    path("sales/<int:sale_id>/tickets/", views.sale_tickets, name="tickets"),
    path("sales/<int:sale_id>/change/", views.sale_change, name="change"),
    path("sales/<int:sale_id>/refund/", views.sale_refund, name="refund"),
    path("sales/<int:sale_id>/cancel/", views.sale_cancel, name="cancel"),
    path(
        "sales/<int:sale_id>/refund-travellers/",
        views.sale_refund_travellers,
        name="refund_travellers",
    ),
    path("sales/<int:sale_id>/credit-refund/", views.sale_credit_refund, name="credit_refund"),
    path(
        "sales/<int:sale_id>/entries/<int:entry_id>/correct/",
        views.sale_correct,
        name="correct",
    ),
    path("sales/<int:sale_id>/itinerary.pdf", views.itinerary, name="itinerary"),
    path("sales/<int:sale_id>/receipts/<int:entry_id>.pdf", views.receipt, name="receipt"),
    path("day/", views.day_report, name="day"),
    path("day/close/", views.close, name="close"),
    re_path(r"^day/report\.(?P<fmt>csv|xlsx)$", views.day_export, name="day_export"),
    path("rules/", views.rules, name="rules"),
]
