"""The board shows 100 cases a page; counts and sorting cover every case."""

from __future__ import annotations

from typing import Any

import pytest

from passage.documents import views
from passage.documents.tests.test_views import _clock, us_case  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db]


def test_board_pages(personas: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "BOARD_PAGE", 2)
    cases = [us_case(ready=i % 2 == 0) for i in range(5)]
    client = personas.client("movement_officer")
    first = client.get("/documents/readiness/?sort=file").content.decode()
    assert "5 cases" in first and "3 ready" in first
    assert first.count("<tr data-case=") == 2
    assert "Page 1 of 3" in first and "page=2" in first and "sort=file" in first
    assert f'data-case="{cases[0].file_number}"' in first
    assert f'data-case="{cases[4].file_number}"' not in first
    last = client.get("/documents/readiness/?sort=file&page=3", headers={"HX-Request": "true"})
    html = last.content.decode()
    assert html.count("<tr data-case=") == 1 and f'data-case="{cases[4].file_number}"' in html
    assert "Page 3 of 3" in html and "<html" not in html
    beyond = client.get("/documents/readiness/?sort=file&page=99").content.decode()
    assert "Page 3 of 3" in beyond  # the last page


def test_board_pauses_the_collector_and_resumes_it(
    personas: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The board computes and renders with the garbage collector paused, and resumes it
    afterwards, also when rendering fails; a nested pause leaves it to the outermost."""
    import gc

    from passage.documents import queries
    from passage.documents.readiness import collector_paused

    us_case(ready=True)
    seen: list[bool] = []
    real_board = queries.board

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real_board(*args, **kwargs)

    monkeypatch.setattr(queries, "board", spy)
    client = personas.client("movement_officer")
    assert gc.isenabled()
    assert client.get("/documents/readiness/").status_code == 200
    assert seen == [False] and gc.isenabled()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("render failed")

    monkeypatch.setattr(queries, "board", broken)
    with pytest.raises(RuntimeError):
        client.get("/documents/readiness/")
    assert gc.isenabled()

    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
