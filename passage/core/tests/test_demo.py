import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.apps import apps
from django.core.management import call_command

from passage.core.models import AuditEvent, User


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"core", *[a.rsplit(".", 1)[-1] for a in _apps()]}
        and model is not AuditEvent
    }


def _apps() -> list[str]:
    from django.conf import settings

    return list(settings.PASSAGE_APPS)


@pytest.mark.django_db
def test_demo_twice_creates_nothing_new(capsys):
    call_command("demo", no_serve=True)
    out = capsys.readouterr().out
    assert "caseworker" in out and "passage-demo-2026" in out
    first = _counts()
    assert first["core.User"] >= 9  # one per role at least
    roles = set(User.objects.values_list("role", flat=True))
    assert {"admin", "case_worker", "medical_officer", "partner", "stats_reader"} <= roles
    call_command("demo", no_serve=True)
    assert _counts() == first


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_demo_serves_the_site(tmp_path):
    """The README's first command, end to end: a fresh data folder, then pages served."""
    port = _free_port()
    env = {**os.environ, "PASSAGE_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "passage", "demo", "--port", str(port), "--no-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 240
        body = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as r:
                    body = r.read().decode()
                    break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.5)
        assert 'name="username"' in body, (
            proc.stdout.read() if proc.stdout and proc.poll() is not None else ""
        )
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/vendor/htmx-2.min.js", timeout=5
        ) as r:
            assert r.status == 200
        assert (tmp_path / "passage.sqlite3").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
