"""The README's first command, end to end, in a fresh data folder."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

SKIP_TABLES = {
    "core_auditevent",
    "django_session",
    "django_migrations",
    "axes_accesslog",
    "axes_accessattempt",
    "axes_accessfailurelog",
    "django_tasks_db_dbtaskresult",
}


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "select name from sqlite_master where type='table' and name not like 'sqlite_%'"
            )
        ]
        return {
            t: conn.execute(f'select count(*) from "{t}"').fetchone()[0]
            for t in tables
            if t not in SKIP_TABLES
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(data: Path) -> dict[str, str]:
    env = {**os.environ, "PASSAGE_DATA_DIR": str(data), "DATABASE_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def test_demo_sets_up_once_then_serves(tmp_path):
    setup = subprocess.run(
        [sys.executable, "-m", "passage", "demo", "--no-serve"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    assert "caseworker" in setup.stdout and "passage-demo-2026" in setup.stdout
    first = _counts(tmp_path / "passage.sqlite3")
    assert first["core_user"] >= 9
    assert sum(first.values()) > 1000  # the demo caseload, not just users
    # Movements and loans show the whole chain (booked, travelled, side branches, loans).
    with sqlite3.connect(tmp_path / "passage.sqlite3") as conn:
        bookings = dict(conn.execute("select status, count(*) from movements_booking group by 1"))
        loans = dict(conn.execute("select status, count(*) from loans_loan group by 1"))
    assert bookings.get("booked", 0) >= 5, bookings
    for status in ("arrived", "departed", "no_show", "interrupted", "rebooked"):
        assert bookings.get(status, 0) >= 1, (status, bookings)
    for status in ("pending", "signed", "active", "handed_over"):
        assert loans.get(status, 0) >= 1, (status, loans)
    assert first["movements_notification"] >= 5 and first["outbox_outboxmessage"] > 2

    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "passage", "demo", "--port", str(port), "--no-worker"],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 600
        body = ""
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as r:
                    body = r.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert 'name="username"' in body, proc.stdout.read() if proc.stdout else ""
        static = f"http://127.0.0.1:{port}/static/vendor/htmx-2.min.js"
        with urllib.request.urlopen(static, timeout=5) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    # The second run loaded the demo again before serving: nothing was duplicated.
    assert _counts(tmp_path / "passage.sqlite3") == first
