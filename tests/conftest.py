"""Shared fixtures: the frozen clock, the fixed actors of STYLE.md and a query-count helper."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import settings as hypothesis_settings

from accounts.models import Organisation
from places.models import PlaceRole
from tests import clock
from tests import factories as f

# No per-example deadline: the machines are shared, and a slow example is not a wrong one.
hypothesis_settings.register_profile("amp", deadline=None)
hypothesis_settings.load_profile("amp")


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=os.environ.get("AMP_TEST_CLOCK"),
        help="Freeze every test at this moment (ISO, Europe/Stockholm unless an offset is "
        "given), e.g. 2027-01-01T00:30. Default: the real time when the run starts.",
    )


def pytest_configure(config):
    from django.conf import settings

    # whitenoise looks for the collected-static directory (`make install` creates it too).
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    config.addinivalue_line(
        "markers", "real_clock: the test needs the real, running clock (no frozen time)"
    )
    clock.set_frozen_now(clock.parse_clock(config.getoption("--clock")))


def pytest_report_header(config):
    return f"frozen clock: {clock.local_now().isoformat()} (Europe/Stockholm)"


@pytest.fixture(autouse=True)
def _frozen_clock(request):
    """Time stands still at the session's moment in every test. Browser and worker tests let
    it tick from there (a page waits for real seconds); `real_clock` opts out."""
    if request.node.get_closest_marker("real_clock"):
        yield None
        return
    ticking = bool(
        request.node.get_closest_marker("e2e") or request.node.get_closest_marker("celery_worker")
    )
    with time_machine.travel(clock.frozen_now(), tick=ticking) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def ensure_default_data():
    """Re-install what the data migrations install (categories, activity kinds, survey
    templates, the Reviewers group, the Site) when a transactional test (browser, worker) has
    flushed it. Uses the migrations' own idempotent install functions."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.contrib.sites.models import Site

    from places.models import ActivityKind
    from safety.models import IncidentCategory
    from surveys.models import Survey

    if not IncidentCategory.objects.exists():
        import_module("safety.migrations.0002_default_categories").install(apps, None)
    if not ActivityKind.objects.exists():
        import_module("places.migrations.0002_default_activity_kinds").install(apps, None)
    if not Survey.objects.filter(is_template=True).exists():
        for name in ("0002_standard_template", "0004_template_translations"):
            module = import_module(f"surveys.migrations.{name}")
            for attribute in ("install", "link"):
                if hasattr(module, attribute):
                    getattr(module, attribute)(apps, None)
                    break
    group, created = Group.objects.get_or_create(name="Reviewers")
    if created or not group.permissions.exists():
        group.permissions.add(
            Permission.objects.get(
                codename="review_application", content_type__app_label="partnerships"
            )
        )
    import_module("accounts.migrations.0003_site_domain").set_site(apps, None)
    assert Site.objects.exists()


@pytest.fixture(autouse=True)
def _default_data(request):
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        request.getfixturevalue("_django_db_helper")
        ensure_default_data()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in Swedish: translation.activate() is global to the thread, so a test
    (or a request) that switched to English must not leak into the next one."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from amp_platform.shells import forget_shells

    cache.clear()
    forget_shells()  # each process's page shells, as a fresh process has none
    yield


@pytest.fixture
def place_a(db):
    return f.PlaceFactory(name="Möllevångstorget", slug="mollevangstorget")


@pytest.fixture
def place_b(db):
    return f.PlaceFactory(name="Drottninggatan", slug="drottninggatan", kind="street")


@pytest.fixture
def property_owner(db):
    return f.OrganisationFactory(name="Fastighets AB Torget", kind="property_owner")


@pytest.fixture
def police_org(db):
    return f.OrganisationFactory(name="Polismyndigheten", kind=Organisation.Kind.POLICE)


@pytest.fixture
def municipality(db):
    return f.OrganisationFactory(name="Malmö stad", kind=Organisation.Kind.MUNICIPALITY)


def _user_with_role(place, role, email, organisation=None):
    user = f.UserFactory(email=email, organisation=organisation)
    PlaceRole.objects.create(user=user, place=place, role=role, organisation=organisation)
    return user


@pytest.fixture
def manager(place_a, property_owner):
    return _user_with_role(place_a, "manager", "manager@example.org", property_owner)


@pytest.fixture
def reporter(place_a):
    guards = f.OrganisationFactory(name="Vakt & Trygg AB", kind="security_company")
    return _user_with_role(place_a, "reporter", "reporter@example.org", guards)


@pytest.fixture
def reader(place_a):
    shop = f.OrganisationFactory(name="Torgets Livs AB", kind="business")
    return _user_with_role(place_a, "reader", "reader@example.org", shop)


@pytest.fixture
def police_reader(place_a, police_org):
    return _user_with_role(place_a, "reader", "police@example.org", police_org)


@pytest.fixture
def reader_b(place_b):
    return _user_with_role(place_b, "reader", "reader-b@example.org")


@pytest.fixture
def outsider(db):
    return f.UserFactory(email="outsider@example.org")


@pytest.fixture
def reviewer(db, municipality):
    user = f.UserFactory(email="reviewer@example.org", organisation=municipality)
    user.groups.add(Group.objects.get(name="Reviewers"))
    return user


@pytest.fixture
def staff(db):
    return f.UserFactory(email="staff@example.org", is_staff=True, is_superuser=True)


@contextmanager
def _assert_max_queries(limit):
    with CaptureQueriesContext(connection) as ctx:
        yield ctx
    if len(ctx.captured_queries) > limit:
        sql = "\n".join(f"{i}. {q['sql']}" for i, q in enumerate(ctx.captured_queries, 1))
        pytest.fail(f"{len(ctx.captured_queries)} queries, expected at most {limit}:\n{sql}")


@pytest.fixture
def assert_max_queries():
    """`with assert_max_queries(12): client.get(url)` – prints the SQL when it fails."""
    return _assert_max_queries


@pytest.fixture
def count_queries():
    """`with count_queries() as ctx: ...; len(ctx)` – to compare counts at two data sizes."""

    @contextmanager
    def _count():
        with CaptureQueriesContext(connection) as ctx:
            yield ctx

    return _count


@pytest.fixture
def few_answers_suffice(settings):
    """For tests of the index's arithmetic and the results pages with a handful of responses:
    the minimum number of answers (issue #19) is tested in tests/surveys/test_too_few_answers.py."""
    settings.SURVEY_MIN_ANSWERS = 1
