import pytest

from passage.testing.factories import ALL_FACTORIES


@pytest.mark.django_db
@pytest.mark.parametrize("factory", ALL_FACTORIES, ids=lambda f: f.__name__)
def test_every_factory_builds_a_saved_object(factory):
    obj = factory()
    assert obj.pk is not None
    assert type(obj)._default_manager.filter(pk=obj.pk).exists()
