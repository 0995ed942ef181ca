import subprocess
import sys

import pytest

from passage.core.mail import email_settings
from passage.env import EnvError, database_config, env_bool, env_int, env_str, env_timezone


def test_bool_reads_words_and_refuses_nonsense():
    assert env_bool("X", environ={"X": "yes"}) is True
    assert env_bool("X", environ={"X": "0"}) is False
    assert env_bool("X", default=True, environ={}) is True
    with pytest.raises(EnvError, match="X: expected true or false"):
        env_bool("X", environ={"X": "maybe"})


def test_int_names_the_variable():
    assert env_int("N", 3, environ={"N": "7"}) == 7
    with pytest.raises(EnvError, match=r"^N: expected a whole number"):
        env_int("N", 3, environ={"N": "seven"})
    with pytest.raises(EnvError, match="at least 1"):
        env_int("N", 3, minimum=1, environ={"N": "0"})


def test_secret_from_file(tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    assert env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(secret)}) == "s3cret"
    with pytest.raises(EnvError, match="not both"):
        env_str("SECRET_KEY", environ={"SECRET_KEY": "a", "SECRET_KEY_FILE": str(secret)})
    with pytest.raises(EnvError, match="SECRET_KEY_FILE: cannot read"):
        env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(tmp_path / "missing")})


def test_timezone_must_exist():
    assert env_timezone("TIME_ZONE", "Asia/Bishkek", environ={}) == "Asia/Bishkek"
    with pytest.raises(EnvError, match="TIME_ZONE: unknown time zone"):
        env_timezone("TIME_ZONE", "UTC", environ={"TIME_ZONE": "Mars/Olympus"})


def test_database_urls():
    sqlite = database_config("sqlite:////tmp/p.db")
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"
    assert sqlite["NAME"] == "/tmp/p.db"
    assert "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"]  # type: ignore[index]
    pg = database_config("postgres://u:p@db.example:5433/passage")
    assert pg["ENGINE"] == "passage.db.postgresql"
    assert (pg["HOST"], pg["PORT"], pg["NAME"]) == ("db.example", 5433, "passage")
    with pytest.raises(EnvError, match="DATABASE_URL: unsupported database 'mysql'"):
        database_config("mysql://x/y")


def test_email_url():
    smtp = email_settings("smtp://me:pa%40ss@127.0.0.1:2525?timeout=3")
    assert smtp["EMAIL_HOST"] == "127.0.0.1"
    assert smtp["EMAIL_PORT"] == 2525
    assert smtp["EMAIL_HOST_PASSWORD"] == "pa@ss"
    assert smtp["EMAIL_TIMEOUT"] == 3
    with pytest.raises(EnvError, match="EMAIL_URL: unsupported scheme"):
        email_settings("ftp://x")


def _start(env: dict[str, str], tmp_path) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "PASSAGE_DATA_DIR": str(tmp_path), "HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "passage", "check"],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_bad_value_stops_startup_with_the_variables_name(tmp_path):
    result = _start({"DEBUG": "perhaps"}, tmp_path)
    assert result.returncode != 0
    assert "DEBUG: expected true or false" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _start({"PASSAGE_MODE": "production"}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_passes_in_production(tmp_path):
    env = {
        "PASSAGE_MODE": "production",
        "SECRET_KEY": "k" * 20 + "x9!Qz" * 10,
        "ALLOWED_HOSTS": "passage.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/p.db",
    }
    base = {"PATH": "/usr/bin:/bin", "PASSAGE_DATA_DIR": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "passage", "check", "--deploy", "--fail-level", "WARNING"],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
