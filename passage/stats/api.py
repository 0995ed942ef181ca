"""Statistics as JSON: the same departures figures as the page and the command."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from passage.core import policy
from passage.core.errors import ActionError
from passage.core.utils import api_user
from passage.stats import panels
from passage.stats.departures import departure_figures
from passage.stats.queries import cases_by_status, read_params

router = Router()
TAG = "statistics"


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class DeparturesQuery(Schema):
    from_: str | None = Field(
        None, alias="from", description="First day, YYYY-MM-DD (as `--from`; same as `start`)"
    )
    to: str | None = Field(None, description="Last day, YYYY-MM-DD (as `--to`; same as `end`)")
    start: str | None = Field(None, description="First day, YYYY-MM-DD (alias of `from`)")
    end: str | None = Field(None, description="Last day, YYYY-MM-DD (alias of `to`)")
    by: str = ""
    year_kind: str = "calendar"
    destination: str | None = None
    programme: str | None = None
    stream: str | None = None


class DepartureRow(Schema):
    year: int | None = None
    destination: str | None = None
    programme: str | None = None
    stream: str | None = None
    sex: str | None = None
    age_band: str | None = None
    persons: int


class DeparturesOut(Schema):
    start: str
    end: str
    year_kind: str
    by: list[str]
    total: int
    rows: list[DepartureRow]


def _either(name: str | None, alias: str | None, field: str) -> str | None:
    """``from``/``to`` (as on the command line) or ``start``/``end``; both must then agree."""
    if name and alias and name != alias:
        raise ActionError(
            _("Give either %(a)s or %(b)s, not two different dates.")
            % {"a": field, "b": {"from": "start", "to": "end"}[field]},
            field=field,
        )
    return name or alias


@router.get(
    "/stats/departures",
    response={200: DeparturesOut, 400: ErrorOut},
    summary="Persons who departed, grouped by year, destination, programme, stream, sex, age band",
)
def departures(request: HttpRequest, q: Query[DeparturesQuery]) -> Any:
    user = api_user(request)
    policy.require(user, "stats.view")
    params = read_params(
        start=_either(q.from_, q.start, "from"), end=_either(q.to, q.end, "to"), by=q.by,
        year_kind=q.year_kind, destination=q.destination, programme=q.programme,
        stream=q.stream, today=timezone.localdate(),
    )  # fmt: skip
    rows = departure_figures(params.filters, params.by, user)
    return {
        "start": params.filters.start.isoformat(),
        "end": params.filters.end.isoformat(),
        "year_kind": params.filters.year_kind,
        "by": params.by,
        "total": sum(r["persons"] for r in rows),
        "rows": rows,
    }


class StatusRow(Schema):
    status: str
    label: str
    counts: dict[str, int]
    total: int


class PipelineOut(Schema):
    destinations: list[str]
    statuses: list[StatusRow]
    waiting_for: list[str]


@router.get("/stats/pipeline", response=PipelineOut, summary="Cases by status and destination")
def pipeline(request: HttpRequest) -> Any:
    user = api_user(request)
    policy.require(user, "stats.view")
    table = cases_by_status(user)
    return {
        "destinations": table["destinations"],
        "statuses": [
            {**row, "counts": dict(zip(table["destinations"], row["counts"], strict=True))}
            for row in table["rows"]
        ],
        "waiting_for": panels.context(user)["waiting"],
    }
