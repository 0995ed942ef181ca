"""Factories of the movements models; ALL lists them so one test builds each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from passage.movements.choices import (
    BookingStatus,
    CodeKind,
    NotificationKind,
    PassengerType,
    TravellerRole,
)
from passage.movements.models import (
    Agreement,
    Airline,
    Airport,
    Booking,
    BookingLeg,
    BookingStatusChange,
    CodeAlias,
    Fare,
    Flight,
    Manifest,
    Notification,
    NotificationTemplate,
    SeatBlock,
    TransitOffice,
    TransitRequest,
    Traveller,
)
from passage.registry.tests.factories import CaseFactory

UTC = dt.UTC


class AirportFactory(DjangoModelFactory):
    class Meta:
        model = Airport
        django_get_or_create = ("iata",)

    iata = "IST"
    icao = "LTFM"
    name = "Istanbul Airport"
    city = "Istanbul"
    country = "TR"
    tz = "Europe/Istanbul"


class AirlineFactory(DjangoModelFactory):
    class Meta:
        model = Airline
        django_get_or_create = ("iata",)

    iata = "TK"
    icao = "THY"
    name = "Turkish Airlines"
    country = "TR"


class CodeAliasFactory(DjangoModelFactory):
    class Meta:
        model = CodeAlias
        django_get_or_create = ("kind", "code", "current")

    kind = CodeKind.AIRPORT
    code = "FRU"
    current = "BSZ"
    valid_until = dt.date(2025, 7, 31)
    source_note = "IATA code change, August 2025"


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement

    airline = factory.SubFactory(AirlineFactory)
    reference = factory.Sequence(lambda n: f"AGR-{n}")
    valid_from = dt.date(2026, 1, 1)
    valid_until = dt.date(2027, 12, 31)
    currency = "USD"
    service_fee = Decimal("25.00")


class FareFactory(DjangoModelFactory):
    class Meta:
        model = Fare

    agreement = factory.SubFactory(AgreementFactory)
    origin = factory.SubFactory(
        AirportFactory, iata="BSZ", name="Manas", city="Bishkek", country="KG", tz="Asia/Bishkek"
    )
    destination = factory.SubFactory(AirportFactory)
    passenger_type = PassengerType.ADULT
    amount = Decimal("450.00")


class FlightFactory(DjangoModelFactory):
    class Meta:
        model = Flight

    airline = factory.SubFactory(AirlineFactory)
    number = factory.Sequence(lambda n: str(300 + n))
    origin = factory.SubFactory(
        AirportFactory, iata="BSZ", name="Manas", city="Bishkek", country="KG", tz="Asia/Bishkek"
    )
    destination = factory.SubFactory(AirportFactory)
    origin_code = factory.LazyAttribute(lambda f: f.origin.iata)
    destination_code = factory.LazyAttribute(lambda f: f.destination.iata)
    departs_at = dt.datetime(2026, 9, 1, 3, 0, tzinfo=UTC)
    arrives_at = dt.datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


class SeatBlockFactory(DjangoModelFactory):
    class Meta:
        model = SeatBlock

    flight = factory.SubFactory(FlightFactory)
    agreement = factory.SubFactory(AgreementFactory)
    seats = 20
    release_at = dt.datetime(2026, 8, 25, tzinfo=UTC)


class BookingFactory(DjangoModelFactory):
    class Meta:
        model = Booking

    case = factory.SubFactory(CaseFactory)
    agreement = factory.SubFactory(AgreementFactory)
    departure_date = dt.date(2026, 9, 1)
    arrival_date = dt.date(2026, 9, 1)
    status = BookingStatus.BOOKED


class BookingLegFactory(DjangoModelFactory):
    class Meta:
        model = BookingLeg

    booking = factory.SubFactory(BookingFactory)
    sequence = 1
    flight = factory.SubFactory(FlightFactory)
    seat_block = factory.SubFactory(SeatBlockFactory, flight=factory.SelfAttribute("..flight"))


class TravellerFactory(DjangoModelFactory):
    class Meta:
        model = Traveller

    booking = factory.SubFactory(BookingFactory)
    role = TravellerRole.MEMBER
    surname = "TESTOV"
    given_names = "AZAMAT"
    passenger_type = PassengerType.ADULT


class BookingStatusChangeFactory(DjangoModelFactory):
    class Meta:
        model = BookingStatusChange

    booking = factory.SubFactory(BookingFactory)
    to_status = BookingStatus.BOOKED


class ManifestFactory(DjangoModelFactory):
    class Meta:
        model = Manifest

    flight = factory.SubFactory(FlightFactory)
    version = 1


class TransitOfficeFactory(DjangoModelFactory):
    class Meta:
        model = TransitOffice
        django_get_or_create = ("airport",)

    airport = factory.SubFactory(AirportFactory)
    name = "Agency office Istanbul"
    email = "transit-ist@example.org"


class TransitRequestFactory(DjangoModelFactory):
    class Meta:
        model = TransitRequest

    booking = factory.SubFactory(BookingFactory)
    airport = factory.SubFactory(AirportFactory)


class NotificationTemplateFactory(DjangoModelFactory):
    class Meta:
        model = NotificationTemplate
        django_get_or_create = ("kind", "country", "language")

    kind = NotificationKind.TRAVEL
    country = "US"
    language = "en"
    subject = "Travel notification {case}"
    body = "Case {case} travels on {itinerary}."


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    booking = factory.SubFactory(BookingFactory)
    kind = NotificationKind.TRAVEL


ALL: list[type[DjangoModelFactory[Any]]] = [
    AirportFactory,
    AirlineFactory,
    CodeAliasFactory,
    AgreementFactory,
    FareFactory,
    FlightFactory,
    SeatBlockFactory,
    BookingFactory,
    BookingLegFactory,
    TravellerFactory,
    BookingStatusChangeFactory,
    ManifestFactory,
    TransitOfficeFactory,
    TransitRequestFactory,
    NotificationTemplateFactory,
    NotificationFactory,
]
