"""Small typed readers for environment variables.

Every setting Passage reads from the environment goes through one of these
helpers, so that a bad value stops start-up with a message that names the
variable. A secret may also be given as ``NAME_FILE``: the path of a file that
holds it.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class EnvError(Exception):
    """A variable has a value Passage cannot use."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name


def _raw(name: str, environ: os._Environ[str] | dict[str, str] | None = None) -> str | None:
    env = os.environ if environ is None else environ
    value = env.get(name)
    file_name = env.get(f"{name}_FILE")
    if value is not None and file_name is not None:
        raise EnvError(name, f"set either {name} or {name}_FILE, not both")
    if file_name is not None:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise EnvError(f"{name}_FILE", f"cannot read {file_name!r}: {exc.strerror}") from exc
    return value


def env_str(name: str, default: str = "", environ: dict[str, str] | None = None) -> str:
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool = False, environ: dict[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise EnvError(name, f"expected true or false, got {value!r}")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    environ: dict[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise EnvError(name, f"expected a whole number, got {value!r}") from exc
    if minimum is not None and number < minimum:
        raise EnvError(name, f"must be at least {minimum}, got {number}")
    return number


def env_list(name: str, default: list[str], environ: dict[str, str] | None = None) -> list[str]:
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(
    name: str, choices: tuple[str, ...], default: str, environ: dict[str, str] | None = None
) -> str:
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    if value not in choices:
        raise EnvError(name, f"expected one of {', '.join(choices)}, got {value!r}")
    return value


def env_timezone(name: str, default: str, environ: dict[str, str] | None = None) -> str:
    value = _raw(name, environ) or default
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise EnvError(name, f"unknown time zone {value!r}") from exc
    return value


def env_path(name: str, default: Path, environ: dict[str, str] | None = None) -> Path:
    value = _raw(name, environ)
    return (Path(value) if value else default).expanduser().resolve()


def database_config(url: str, *, name: str = "DATABASE_URL") -> dict[str, object]:
    """Turn a database URL into a Django DATABASES entry.

    SQLite files are opened in WAL mode with a busy timeout, so that the web
    process and the worker can share one file.
    """
    import dj_database_url

    scheme = urlsplit(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise EnvError(name, f"unsupported database {scheme!r}: use sqlite:/// or postgres://")
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as exc:
        raise EnvError(name, str(exc)) from exc
    if scheme == "sqlite":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    else:
        config["ENGINE"] = "passage.db.postgresql"  # sends datetimes in UTC
        config["CONN_HEALTH_CHECKS"] = True
        config.setdefault("OPTIONS", {})
    return config
