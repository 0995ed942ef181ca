import io

import pytest
from django.core.management.base import OutputWrapper

from passage.core import demo as core_demo
from passage.registry import demo
from passage.registry.models import Case, CaseStatusChange, EmbassyRequest, Person, Referral


@pytest.mark.django_db
def test_demo_is_realistic_and_idempotent(monkeypatch):
    out = OutputWrapper(io.StringIO())
    core_demo.load(out)
    monkeypatch.setattr(demo, "CASES", 12)
    first = demo.load(out)
    counts = (
        Case.objects.count(),
        Person.objects.count(),
        EmbassyRequest.objects.count(),
        Referral.objects.count(),
        CaseStatusChange.objects.count(),
    )
    assert first["cases"] == 12 and counts[1] >= 12
    second = demo.load(out)
    assert second == {"cases": 0, "requests": 0}
    assert (
        Case.objects.count(),
        Person.objects.count(),
        EmbassyRequest.objects.count(),
        Referral.objects.count(),
        CaseStatusChange.objects.count(),
    ) == counts
    scripts = {p.given_names[0] for p in Person.objects.all()}
    assert any("\u0600" <= ch <= "\u06ff" for ch in scripts) or any(
        "\u0400" <= ch <= "\u04ff" for ch in scripts
    )
    assert all(p.latin_given_names.isascii() for p in Person.objects.all())
    # Every case has one principal applicant.
    for case in Case.objects.all():
        assert case.memberships.filter(relationship="principal").count() == 1


def test_the_name_lists_cover_the_populations():
    from passage.registry.synthetic import POPULATIONS, population

    for key in POPULATIONS:
        data = population(key)
        assert len(data["given_male"]) >= 10 and len(data["given_female"]) >= 10
        assert all(latin.isascii() for _native, latin in data["surnames"])
