"""Every app's Russian and Kyrgyz catalogs are complete, compiled, and current."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
APPS = [name.rsplit(".", 1)[-1] for name in settings.PASSAGE_APPS]
LANGS = ("ru", "ky")


def _uses_gettext(app_dir: Path) -> bool:
    for path in [*app_dir.rglob("*.py"), *app_dir.rglob("*.html")]:
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "gettext" in text or "{% translate" in text or "{% blocktranslate" in text:
            return True
    return False


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("lang", LANGS)
def test_catalog_is_complete_and_compiled(app, lang):
    app_dir = ROOT / "passage" / app
    po_path = app_dir / "locale" / lang / "LC_MESSAGES" / "django.po"
    if not _uses_gettext(app_dir):
        assert not po_path.exists() or not polib.pofile(str(po_path)).translated_entries()
        return
    assert po_path.exists(), f"{app} has translatable strings but no {lang} catalog"
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{app}/{lang}: untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{app}/{lang}: fuzzy: {fuzzy[:10]}"
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {e.msgid: e.msgstr for e in mo}
    stale = [e.msgid for e in po.translated_entries() if compiled.get(e.msgid) != e.msgstr]
    assert not stale, f"{app}/{lang}: .mo is out of date, run ./dev messages: {stale[:5]}"


@pytest.mark.parametrize("app", APPS)
def test_catalog_has_every_string_of_the_code(app, tmp_path):
    """Extract the app's strings afresh and compare with the committed catalog."""
    app_dir = ROOT / "passage" / app
    if not _uses_gettext(app_dir):
        return
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: install Debian's gettext (./dev test does)")
    copy = tmp_path / app
    shutil.copytree(app_dir, copy, ignore=shutil.ignore_patterns("tests", "*.mo", "static"))
    (copy / "locale").mkdir(exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "passage",
            "makemessages",
            "-l",
            "ru",
            "--no-location",
            "--no-obsolete",
            "-v",
            "0",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=300,
        env={
            "PATH": "/usr/bin:/bin",
            "PASSAGE_DATA_DIR": str(tmp_path / "data"),
            "PYTHONPATH": str(ROOT),
        },
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/ru/LC_MESSAGES/django.po"))}
    committed_path = app_dir / "locale/ru/LC_MESSAGES/django.po"
    committed = (
        {e.msgid for e in polib.pofile(str(committed_path))} if committed_path.exists() else set()
    )
    missing = sorted(fresh - committed)
    assert not missing, f"{app}: strings not in the catalog, run ./dev messages: {missing[:10]}"
