"""Shared fixtures: the tiny test scenario and the shipped default scenario."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from game.scenario_files import DEFAULT_SCENARIO_PATH, load_scenario_file

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def tiny():
    return load_scenario_file(FIXTURES / "tiny.yaml")


@pytest.fixture(scope="session")
def default_scenario():
    return load_scenario_file(DEFAULT_SCENARIO_PATH)


@pytest.fixture(scope="session", params=["tiny", "default"])
def any_scenario(request):
    path = FIXTURES / "tiny.yaml" if request.param == "tiny" else DEFAULT_SCENARIO_PATH
    return load_scenario_file(path)


PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")


def service_missing(why: str) -> None:
    """Skip a test that needs PostgreSQL or Redis, saying why -- unless CI=true, where it fails."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {why}")
    pytest.skip(why)


@pytest.fixture
def postgres_db():
    """The URL of a new, empty PostgreSQL database on this machine's server, dropped afterwards."""
    try:
        import psycopg  # noqa: PLC0415
    except ImportError:
        service_missing("psycopg is not installed")
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001
        service_missing(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}")
    name = f"ng_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Request throttles count in Django's cache (game/throttle.py): every test starts with none counted."""
    from django.core.cache import cache

    cache.clear()
    yield
