"""``passage openapi``: print the API's OpenAPI document as JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Print the OpenAPI document of the API as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--indent", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        from passage.api import api

        schema = api.get_openapi_schema(path_prefix="/api/v1")
        self.stdout.write(json.dumps(schema, indent=options["indent"], ensure_ascii=False))
