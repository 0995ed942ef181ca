"""The ticket counter: find a case, see the offers, quote, book, take money, ticket,
change, refund, cancel; the day's report, counts and closing; the agreement rules."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passage.core import audit, policy
from passage.core.errors import ActionError
from passage.core.models import User
from passage.core.utils import authed_user
from passage.ledger import queries as ledger_queries
from passage.ledger.choices import Desk
from passage.ledger.models import LedgerEntry
from passage.ledger.views import drawer_post
from passage.movements.models import Agreement, Flight
from passage.registry.models import Case, Membership
from passage.tickets import actions, forms, pdf, queries
from passage.tickets import rules as ticket_rules
from passage.tickets.actions import PROGRAMMES
from passage.tickets.choices import CHANGEABLE, CREDITABLE, PAYABLE, REFUNDABLE, SaleStatus
from passage.tickets.models import DayClose, Sale, TicketRules


def _cases(user: Any) -> Any:
    from passage.registry.queries import visible_cases

    return visible_cases(user).filter(programme__in=PROGRAMMES)


@login_required
def counter(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "tickets.view")
    form = forms.SearchForm(request.GET or None)
    found: list[Case] = []
    if form.is_valid() and form.cleaned_data["q"].strip():
        q = form.cleaned_data["q"].strip()
        found = list(
            _cases(user)
            .filter(
                Q(file_number__icontains=q)
                | Q(memberships__person__latin_surname__icontains=q)
                | Q(memberships__person__surname__icontains=q)
            )
            .distinct()
            .order_by("file_number")[:30]
        )
    sales = queries.sales_for(user)[:30]
    return render(
        request,
        "tickets/counter.html",
        {
            "form": form,
            "found": found,
            "sales": sales,
            "searched": form.is_bound,
            "can_register": policy.has_permission(user, "tickets.register"),
        },
    )


def _flights_of(ids: list[int]) -> list[Flight]:
    found = Flight.objects.select_related("origin", "destination", "airline").in_bulk(ids)
    return [found[i] for i in ids if i in found]


DOC_LANGUAGES = {"ru": "ru", "rus": "ru", "ky": "ky", "kir": "ky", "en": "en", "eng": "en"}


def _language(members: list[Membership]) -> str:
    """The documents' language: the first the principal speaks of Russian, Kyrgyz, English."""
    for m in members:
        for code in m.person.languages or []:
            found = DOC_LANGUAGES.get(str(code).lower())
            if found:
                return found
    return "ru"


@login_required
def case_counter(request: HttpRequest, case_id: int) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "tickets.view")
    case = policy.get_object_for(user, _cases(user), case_id)
    members = list(
        Membership.objects.filter(case=case, ended_at__isnull=True)
        .select_related("person")
        .order_by("pk")
    )
    form = forms.OfferForm(request.GET or None)
    offers: list[dict[str, Any]] = []
    missing = None
    day: dt.date | None = None
    if form.is_valid():
        day = form.cleaned_data["day"]
        assert day is not None
        missing = queries.missing(case, day)
        for offer in queries.offers(case.destination_country, day):
            try:
                lines = actions.price_lines(offer.agreement, offer.flights, members)
            except ActionError as exc:
                offers.append({"offer": offer, "error": exc.message})
                continue
            total = sum((line.total for line in lines), Decimal("0.00"))
            offers.append({"offer": offer, "lines": lines, "total": total})
    context = {
        "case": case,
        "members": members,
        "form": form,
        "offers": offers,
        "missing": missing,
        "day": day,
        "quote_form": forms.QuoteForm(initial={"language": _language(members)}),
        "sales": Sale.objects.filter(case=case).select_related("agreement"),
    }
    return render(request, "tickets/case.html", context)


@login_required
@require_POST
def quote(request: HttpRequest, case_id: int) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "tickets.sell")
    case = policy.get_object_for(user, _cases(user), case_id)
    form = forms.QuoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an itinerary."))
        return redirect("tickets:case", case_id=case.pk)
    agreement = Agreement.objects.filter(pk=form.cleaned_data["agreement"]).first()
    flights = _flights_of(form.flight_ids())
    if agreement is None or not flights:
        messages.error(request, _("Choose an itinerary."))
        return redirect("tickets:case", case_id=case.pk)
    try:
        sale = actions.create_sale(
            actor=user,
            case=case,
            agreement=agreement,
            flights=flights,
            language=form.cleaned_data["language"],
        )
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("tickets:case", case_id=case.pk)
    messages.success(request, _("Quote %(n)s is ready.") % {"n": sale.number})
    return redirect("tickets:sale", sale_id=sale.pk)


def _sale(request: HttpRequest, sale_id: int, permission: str | None = None) -> Sale:
    user = authed_user(request)
    return policy.get_object_for(user, queries.sales_for(user), sale_id, permission)


@login_required
def sale_detail(request: HttpRequest, sale_id: int) -> HttpResponse:
    user = authed_user(request)
    sale = _sale(request, sale_id)
    due = queries.balance_of(sale)
    refund = None
    rules = TicketRules.objects.filter(agreement=sale.agreement).first()
    if rules and sale.status in REFUNDABLE and sale.account:
        refund = ticket_rules.refund_quote(rules, sale.active_lines(), due)
    entries = queries.entries_of(sale)
    change_offers: list[Any] = []
    change_day = forms.OfferForm(request.GET or None)
    if sale.status in CHANGEABLE and change_day.is_valid():
        change_offers = [
            o
            for o in queries.offers(sale.case.destination_country, change_day.cleaned_data["day"])
            if o.agreement.pk == sale.agreement_id
        ]
    context = {
        "sale": sale,
        "lines": list(sale.lines.all()),
        "due": due,
        "rules": rules,
        "refund": refund,
        "entries": entries,
        "history": sale.history.select_related("actor"),
        "flights": _flights_of(sale.flight_ids),
        "payable": sale.status in PAYABLE and due > 0,
        "can_ticket": sale.status == SaleStatus.PAID,
        "can_change": sale.status in CHANGEABLE,
        "can_refund": refund is not None,
        "can_cancel": sale.status in {SaleStatus.QUOTED, SaleStatus.BOOKED},
        "credit": -due if due < 0 and sale.status in CREDITABLE else None,
        "credit_form": forms.CreditForm(initial={"currency": sale.currency}),
        "partial": refund is not None and len(sale.active_lines()) > 1,
        "can_correct": sale.status not in {SaleStatus.REFUNDED, SaleStatus.CANCELLED}
        and policy.has_permission(user, "tickets.take_payment"),
        "corrected": {e.corrects_id for e in entries if e.corrects_id},
        "can_sell": policy.has_permission(user, "tickets.sell"),
        "pay_form": forms.PaymentForm(initial={"amount": due, "currency": sale.currency}),
        "refund_form": forms.RefundForm(initial={"currency": sale.currency}),
        "cancel_form": forms.ReasonForm(),
        "change_day": change_day,
        "change_offers": change_offers,
        "change_form": forms.ChangeForm(),
        "missing": queries.missing(sale.case, sale.departure_date)
        if sale.status == SaleStatus.QUOTED
        else None,
    }
    return render(request, "tickets/sale.html", context)


def _done(request: HttpRequest, sale: Sale, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("tickets:sale", sale_id=sale.pk)


def _refused(request: HttpRequest, sale: Sale, exc: ActionError) -> HttpResponse:
    field = f" ({exc.field})" if exc.field else ""
    messages.error(request, f"{exc.message}{field}")
    return redirect("tickets:sale", sale_id=sale.pk)


def _act(
    request: HttpRequest,
    sale: Sale,
    call: Callable[[User, dict[str, Any]], str],
    form_class: type[django_forms.Form] | None = None,
    invalid: str = "",
) -> HttpResponse:
    """Check the form (if any), run the action, and come back to the sale with its outcome."""
    data: dict[str, Any] = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, invalid)
            return redirect("tickets:sale", sale_id=sale.pk)
        data = form.cleaned_data
    try:
        text = call(authed_user(request), data)
    except ActionError as exc:
        return _refused(request, sale, exc)
    return _done(request, sale, text)


def _paid_back(text: str, entry: LedgerEntry | None, with_receipt: str) -> str:
    """``text``, or ``with_receipt`` naming the receipt and what changed hands."""
    if entry is None:
        return text
    return with_receipt % {
        "n": entry.receipt_number,
        "a": entry.tendered[0],
        "c": entry.tendered[1],
    }


@login_required
@require_POST
def sale_book(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = _sale(request, sale_id, "tickets.sell")

    def call(user: User, data: dict[str, Any]) -> str:
        actions.book_sale(actor=user, sale=sale)
        return _("Booked; the fares and fees are charged.")

    return _act(request, sale, call)


@login_required
@require_POST
def sale_pay(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = _sale(request, sale_id, "tickets.take_payment")

    def call(user: User, data: dict[str, Any]) -> str:
        entry = actions.take_payment(actor=user, sale=sale, **data)
        return _("Payment recorded: receipt %(n)s.") % {"n": entry.receipt_number}

    return _act(request, sale, call, forms.PaymentForm, _("Give the amount, currency and method."))


@login_required
@require_POST
def sale_tickets(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = _sale(request, sale_id, "tickets.sell")
    numbers = {line.pk: request.POST.get(f"ticket_{line.pk}", "") for line in sale.lines.all()}

    def call(user: User, data: dict[str, Any]) -> str:
        actions.issue_tickets(
            actor=user, sale=sale, pnr=request.POST.get("pnr", ""), numbers=numbers
        )
        return _("Tickets issued.")

    return _act(request, sale, call)


@login_required
@require_POST
def sale_change(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = _sale(request, sale_id, "tickets.sell")

    def call(user: User, data: dict[str, Any]) -> str:
        ids = [int(x) for x in data["offer"].split("-") if x.isdigit()]
        actions.change_sale(actor=user, sale=sale, flights=_flights_of(ids), reason=data["reason"])
        return _("The itinerary is changed; take the change fee.")

    return _act(
        request,
        sale,
        call,
        forms.ChangeForm,
        _("Choose the new itinerary and give the reason."),
    )


@login_required
@require_POST
def sale_refund(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = _sale(request, sale_id, "tickets.refund")

    def call(user: User, data: dict[str, Any]) -> str:
        entry = actions.refund_sale(actor=user, sale=sale, **data)
        return _paid_back(
            _("Refunded."), entry, _("Refunded: receipt %(n)s, %(a)s %(c)s paid back.")
        )

    return _act(
        request,
        sale,
        call,
        forms.RefundForm,
        _("Give the currency, method and reason of the refund."),
    )


@login_required
@require_POST
def sale_cancel(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = _sale(request, sale_id, "tickets.sell")

    def call(user: User, data: dict[str, Any]) -> str:
        actions.cancel_sale(actor=user, sale=sale, reason=data["reason"])
        return _("The sale is cancelled.")

    return _act(request, sale, call, forms.ReasonForm, _("Say why the sale is cancelled."))


@login_required
@require_POST
def sale_refund_travellers(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = _sale(request, sale_id, "tickets.refund")
    ids = [int(x) for x in request.POST.getlist("line") if x.isdigit()]
    invalid = _("Choose the travellers and give the currency, method and reason.")
    if not ids:
        messages.error(request, invalid)
        return redirect("tickets:sale", sale_id=sale.pk)

    def call(user: User, data: dict[str, Any]) -> str:
        entry = actions.refund_travellers(actor=user, sale=sale, line_ids=ids, **data)
        return _paid_back(
            _("The chosen travellers are refunded."),
            entry,
            _("The chosen travellers are refunded: receipt %(n)s, %(a)s %(c)s paid back."),
        )

    return _act(request, sale, call, forms.RefundForm, invalid)


@login_required
@require_POST
def sale_credit_refund(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = _sale(request, sale_id, "tickets.refund")

    def call(user: User, data: dict[str, Any]) -> str:
        entry = actions.pay_back_credit(actor=user, sale=sale, **data)
        return _paid_back("", entry, _("The credit is paid back: receipt %(n)s, %(a)s %(c)s."))

    return _act(request, sale, call, forms.CreditForm, _("Give the currency and method."))


@login_required
@require_POST
def sale_correct(request: HttpRequest, sale_id: int, entry_id: int) -> HttpResponse:
    sale = _sale(request, sale_id, "tickets.take_payment")
    entry = LedgerEntry.objects.filter(pk=entry_id).select_related("account").first()
    if entry is None:
        raise Http404("no such entry")

    def call(user: User, data: dict[str, Any]) -> str:
        actions.correct_entry(actor=user, sale=sale, entry=entry, reason=data["reason"])
        return _("The entry is corrected by a new entry; the sale follows.")

    return _act(request, sale, call, forms.ReasonForm, _("Give the reason for the correction."))


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def receipt(request: HttpRequest, sale_id: int, entry_id: int) -> HttpResponse:
    sale = _sale(request, sale_id)
    if sale.account_id is None:
        raise Http404("no such receipt")
    entry = (
        LedgerEntry.objects.filter(pk=entry_id, account_id=sale.account_id)
        .exclude(receipt_number="")
        .select_related("cashier")
        .first()
    )
    if entry is None:
        raise Http404("no such receipt")
    return _pdf(pdf.receipt(sale, entry), f"{entry.receipt_number}.pdf")


@login_required
def itinerary(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = _sale(request, sale_id)
    return _pdf(pdf.itinerary(sale, queries.balance_of(sale)), f"{sale.number}.pdf")


def _day(request: HttpRequest) -> dt.date:
    form = forms.DayForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["day"]:
        day: dt.date = form.cleaned_data["day"]
        return day
    return timezone.localdate()


@login_required
def day_report(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "tickets.view")
    day = _day(request)
    if request.method == "POST":
        policy.require(user, "tickets.close_day")
    float_form, count_form, written = drawer_post(request, user, day, Desk.TICKETS)
    if written:
        return redirect(f"{request.path}?day={day.isoformat()}")
    rows = queries.day_takings(day)
    recon = queries.day_reconciliation(day)
    context = {
        "day": day,
        "rows": rows,
        "totals": ledger_queries.totals_by_currency(rows),
        "recon": recon,
        "balanced": bool(recon) and all(r.matches for r in recon),
        "sales": queries.day_sales(day),
        "count_form": count_form,
        "float_form": float_form,
        "day_form": forms.DayForm(initial={"day": day}),
        "closed": DayClose.objects.filter(business_date=day).select_related("cashier"),
        "can_close": policy.has_permission(user, "tickets.close_day"),
    }
    return render(request, "tickets/day.html", context)


@login_required
@require_POST
def close(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "tickets.close_day")
    form = forms.DayForm(request.POST)
    day = form.cleaned_data["day"] if form.is_valid() and form.cleaned_data["day"] else None
    day = day or timezone.localdate()
    try:
        actions.close_day(actor=user, cashier=user, on=day)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The day is closed and balanced."))
    return redirect(f"{reverse('tickets:day')}?day={day.isoformat()}")


HEADER = [
    "day",
    "cashier",
    "currency",
    "method",
    "payments",
    "received",
    "refunded",
    "net",
    "float",
    "expected",
    "counted",
    "difference",
]


def report_rows(day: dt.date) -> list[list[Any]]:
    """The day's takings per cashier, currency and method, with each count and difference."""
    counted: dict[tuple[int | None, str, str], Any] = {
        (r.cashier_id, r.currency, r.method): r for r in queries.day_reconciliation(day)
    }
    rows = []
    for row in queries.day_takings(day):
        rec = counted.get((row.cashier_id, row.currency, row.method))
        rows.append(
            [
                day.isoformat(),
                row.cashier,
                row.currency,
                row.method,
                row.count,
                row.received,
                row.refunded,
                row.net,
                rec.opening if rec is not None else None,
                rec.expected if rec is not None else row.net,
                None if rec is None or rec.counted is None else rec.counted,
                None if rec is None or rec.difference is None else rec.difference,
            ]
        )
    return rows


@login_required
def day_export(request: HttpRequest, fmt: str) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "tickets.view")
    day = _day(request)
    rows = report_rows(day)
    name = f"tickets-{day.isoformat()}.{fmt}"
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = day.isoformat()
        sheet.append(HEADER)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        writer.writerow(HEADER)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    audit.record(
        actor=user,
        action="tickets.export_day",
        object_type="tickets.day",
        object_id=day.isoformat(),
        extra={"format": fmt},
    )
    return response


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "tickets.view")
    agreements = list(Agreement.objects.select_related("airline", "ticket_rules"))
    chosen = None
    form = None
    pk = request.GET.get("agreement") or request.POST.get("agreement")
    if pk and str(pk).isdigit():
        chosen = next((a for a in agreements if a.pk == int(pk)), None)
    if chosen is not None:
        current = getattr(chosen, "ticket_rules", None)
        initial = {f: getattr(current, f) for f in actions.RULE_FIELDS} if current else {}
        form = forms.RulesForm(request.POST or None, initial=initial)
        if request.method == "POST":
            policy.require(user, "tickets.manage_rules")
            if form.is_valid():
                try:
                    actions.set_rules(actor=user, agreement=chosen, **form.cleaned_data)
                except ActionError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    messages.success(request, _("The rules are saved."))
                    return redirect("tickets:rules")
    return render(
        request, "tickets/rules.html", {"agreements": agreements, "chosen": chosen, "form": form}
    )
