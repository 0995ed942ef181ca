"""Certificates of participation as PDF, rendered with typst.

Names are printed in their own script and in Latin letters. typst ships fonts
for Latin and Cyrillic (Libertinus Serif); Arabic script (Dari, Pashto, Uyghur)
comes from the Noto Naskh Arabic font in ``fonts/`` (SIL Open Font License).
System fonts are ignored, so the output is the same on every machine.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import typst
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from passage.core.errors import ActionError
from passage.orientation.models import Course, Enrolment, plain_hours

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "templates" / "orientation" / "certificate.typ"
FONTS = HERE / "fonts"
MISSION = "IOM Mission in the Kyrgyz Republic"


def certificate_number(enrolment: Enrolment) -> str:
    return f"CO-{enrolment.course_id:05d}-{enrolment.pk:06d}"


def _course_data(course: Course) -> dict[str, str]:
    sessions = list(course.sessions.all())
    dates = ""
    if sessions:
        first = timezone.localdate(sessions[0].starts_at)
        last = timezone.localdate(sessions[-1].starts_at)
        dates = first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"
    trainers = {t.pk: t.get_full_name() or t.username for s in sessions for t in s.trainers.all()}
    return {
        "title": course.title,
        "curriculum": course.curriculum.name,
        "dates": dates,
        "venue": course.venue or _("remote"),
        "trainers": ", ".join(trainers.values()),
    }


def render(course: Course, enrolments: Sequence[Enrolment]) -> bytes:
    """One page per enrolment; refuses anyone who has not completed the course."""
    not_done = [e for e in enrolments if e.completed_on is None]
    if not_done:
        first = not_done[0]
        raise ActionError(
            _("%(name)s has %(hours)s of %(required)s hours: no certificate yet.")
            % {
                "name": first.person.display_name,
                "hours": plain_hours(first.hours_attended),
                "required": plain_hours(course.curriculum.required_hours),
            },
            field="enrolment",
            code="not_completed",
        )
    if not enrolments:
        raise ActionError(_("Nobody has completed this course yet."), field="course")
    people = [
        {
            "native": e.person.native_name or e.person.latin_name,
            "latin": e.person.latin_name,
            "number": certificate_number(e),
            "hours_line": _("%(hours)s hours attended of %(required)s required")
            % {
                "hours": plain_hours(e.hours_attended),
                "required": plain_hours(course.curriculum.required_hours),
            },
        }
        for e in enrolments
    ]
    data = {
        "lang": (get_language() or "en").split("-")[0],
        "mission": MISSION,
        "issued": timezone.localdate().isoformat(),
        "labels": {
            "title": _("Certificate of participation"),
            "certify": _("This is to certify that"),
            "took_part": _("took part in the cultural orientation course"),
            "trainers": _("Trainers"),
            "number": _("No."),
            "issued": _("issued"),
        },
        "course": _course_data(course),
        "people": people,
    }
    pdf = typst.compile(
        str(TEMPLATE),
        font_paths=[str(FONTS)],
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
    )
    assert isinstance(pdf, bytes)
    return pdf
