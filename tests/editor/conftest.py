import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from editor import dags


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Each test starts with empty throttle counters and rates no test reaches by accident (the
    throttling tests tighten them themselves), and hashes passwords fast: the personas' real
    PBKDF2 hashing would cost most of the suite's time and test nothing of ours."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user("alice", password="alice-password-1")


@pytest.fixture
def stranger(django_user_model):
    return django_user_model.objects.create_user("mallory", password="mallory-password-1")


@pytest.fixture
def api():
    """A client with no credentials."""
    return APIClient()


@pytest.fixture
def owner_api(owner):
    client = APIClient()
    client.force_authenticate(owner)
    return client


@pytest.fixture
def stranger_api(stranger):
    client = APIClient()
    client.force_authenticate(stranger)
    return client


@pytest.fixture
def owner_token(owner):
    return Token.objects.create(user=owner).key


@pytest.fixture
def dag(owner, umbrella_document, umbrella_scenarios):
    """The owner's umbrella DAG with its saved scenarios."""
    return dags.create_dag(owner, umbrella_document, {}, umbrella_scenarios)
