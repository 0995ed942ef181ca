from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"


@pytest.mark.parametrize("language", ["ru", "ky"])
def test_every_string_is_translated(language: str) -> None:
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(po) > 100
    assert [e.msgid for e in po if not e.msgstr or "fuzzy" in e.flags] == []
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()
