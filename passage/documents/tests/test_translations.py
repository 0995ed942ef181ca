from pathlib import Path

import polib
import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[1] / "locale"


@pytest.mark.parametrize("language", ["ru", "ky"])
def test_every_string_is_translated(language: str) -> None:
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(po) > 200
    untranslated = [
        e.msgid
        for e in po
        if "fuzzy" in e.flags
        or (e.msgid_plural and not all(e.msgstr_plural.values()))
        or (not e.msgid_plural and not e.msgstr)
    ]
    assert untranslated == []
    assert "fuzzy" not in po.metadata_as_entry().flags
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()


def test_blockers_read_in_russian() -> None:
    import datetime as dt

    from passage.core.readiness import Constraint
    from passage.documents.readiness import explain

    c = Constraint(
        "documents",
        "document:exit_visa",
        1,
        "Выездная виза",
        person_name="Айда",
        valid_until=dt.date(2026, 5, 3),
    )
    with translation.override("ru"):
        text = explain(c, dt.date(2026, 5, 12))
    assert text == "Выездная виза: Айда — срок истекает 2026-05-03, за 9 дн. до выезда."
