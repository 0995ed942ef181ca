from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"


@pytest.mark.parametrize("language", ["ru", "ky"])
def test_every_string_is_translated(language: str) -> None:
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(po) > 300
    untranslated = [
        e.msgid
        for e in po
        if "fuzzy" in e.flags
        or (not e.msgid_plural and not e.msgstr)
        or (e.msgid_plural and not all(e.msgstr_plural.values()))
    ]
    assert untranslated == []
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()
