import pytest

from passage.orientation.tests.factories import ALL


@pytest.mark.django_db
@pytest.mark.parametrize("factory", ALL, ids=lambda f: f.__name__)
def test_every_factory_builds(factory):
    obj = factory()
    assert obj.pk is not None
