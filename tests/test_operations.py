"""Operations: health endpoint, static files with DEBUG off, docker-compose, deploy checks."""

import importlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import override_settings

from accounts.tests.factories import UserFactory

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    # Anyone may ask; nobody but staff learns what software answers.
    assert response.json() == {"status": "ok", "database": {"ok": True}, "broker": {"ok": True}}


@pytest.mark.django_db
def test_staff_see_the_details(client):
    client.force_login(UserFactory(is_staff=True))
    body = client.get("/healthz").json()
    assert body["database"] == {"ok": True, "vendor": connection.vendor}
    assert body["broker"]["ok"] is True
    assert body["broker"]["mode"] in {"in-process", "redis"}


@contextmanager
def _broker_at(url: str) -> Iterator[None]:
    from config.celery_app import app

    old = app.conf.broker_url  # read first: Celery loads its settings lazily
    app.conf.broker_url = url
    try:
        yield
    finally:
        app.conf.broker_url = old


@pytest.mark.django_db
def test_healthz_answers_503_when_the_broker_is_down(client):
    with _broker_at("redis://127.0.0.1:1/0"):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "degraded", "database": {"ok": True}, "broker": {"ok": False}}
        client.force_login(UserFactory(is_staff=True))
        staff = client.get("/healthz").json()
    assert staff["broker"] == {"ok": False, "mode": "redis", "error": "ConnectionError"}


@pytest.mark.django_db
def test_healthz_does_not_wait_for_a_broker_that_never_answers(client):
    """A half-open connection (the server accepts, then says nothing) is 'down' after about a second."""
    with socket.create_server(("127.0.0.1", 0)) as silent, _broker_at(f"redis://127.0.0.1:{silent.getsockname()[1]}/0"):
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["broker"] == {"ok": False}
    assert elapsed < 3


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down_and_does_not_name_it(client, monkeypatch):
    from core import health

    class DownDatabase:
        vendor = connection.vendor

        def cursor(self) -> None:
            raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(health, "connection", DownDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": {"ok": False}, "broker": {"ok": True}}
    text = response.content.decode().lower()
    for revealing in ("sqlite", "postgres", "operationalerror", "5432"):
        assert revealing not in text


@pytest.mark.django_db
def test_collected_static_files_serve_with_debug_off(tmp_path, client):
    """WhiteNoise's manifest storage answers 500 for a file missing from the manifest: collect and fetch."""
    manifest_storage = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path / "static", STORAGES=manifest_storage, DEBUG=False):
        call_command("collectstatic", "--noinput", verbosity=0)
        from django.templatetags.static import static

        url = static("rest_framework/css/bootstrap.min.css")
        assert url != "/static/rest_framework/css/bootstrap.min.css", "the manifest names files by their hash"
        assert client.get(url).status_code == 200
        login = client.get("/accounts/login/")
        assert login.status_code == 200


def test_docker_compose_parses_and_names_commands_that_exist():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert set(compose["volumes"]) >= {"postgres-data", "redis-data", "media"}

    for name in ("web", "worker", "beat"):
        command = services[name]["command"]
        text = " ".join(command)
        if "gunicorn" in text:
            module, _, attribute = "config.wsgi:application".partition(":")
            assert "config.wsgi:application" in text
            assert hasattr(importlib.import_module(module), attribute)
            assert shutil.which("gunicorn", path=str(Path(sys.executable).parent)), "gunicorn is installed"
        if command[0] == "celery":
            assert command[1:3] == ["-A", "config.celery_app"]
            app = importlib.import_module("config.celery_app").app
            assert app.main == "concord"
            assert command[3] in {"worker", "beat"}
    env_keys = {line.split("=", 1)[0] for line in (ROOT / ".env.example").read_text().splitlines() if "=" in line}
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOWED_HOSTS"} <= env_keys


def test_production_settings_pass_the_deploy_check():
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "a-test-only-secret-" + "x" * 40 + "-with-enough-variety-1234567890",
        "DJANGO_ALLOWED_HOSTS": "concord.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_access_statuses_match_the_enrolment_statuses():
    """trainings.access names participants' statuses without importing them; keep both in step."""
    from participants.models import Enrolment
    from trainings.access import ACCESS_STATUSES

    assert set(ACCESS_STATUSES) == set(Enrolment.Status.values) - {Enrolment.Status.WITHDRAWN}
