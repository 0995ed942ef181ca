"""The ``passage`` command: everything ``manage.py`` does, plus demo, openapi and worker."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passage.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    args = [sys.argv[0] if sys.argv else "passage", *(argv if argv is not None else sys.argv[1:])]
    try:
        execute_from_command_line(args)
    except ImproperlyConfigured as exc:
        if "Passage configuration error" in str(exc):
            sys.stderr.write(f"{exc}\n")
            raise SystemExit(2) from None
        raise


if __name__ == "__main__":
    main()
