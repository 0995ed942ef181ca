"""Readiness tests see the documents source and the sources a test adds, nothing else.

Health, orientation and other apps register their own sources; these tests must
not depend on them, so each test starts from the documents source alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from passage.core import readiness
from passage.documents.sources import document_constraints


@pytest.fixture(autouse=True)
def only_documents_source(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Any]]:
    sources: dict[str, Any] = {"documents": document_constraints}
    monkeypatch.setattr(readiness, "_sources", sources)

    def add(name: str, source: Any) -> None:
        sources[name] = source

    yield add
