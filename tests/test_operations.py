"""Operations: health endpoint, static files with DEBUG off, docker-compose, deploy checks."""

import fnmatch
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


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["concord.example.org"])
def test_the_liveness_probe_passes_the_host_check_and_the_https_redirect(client):
    """docker-compose probes http://127.0.0.1:8000 from inside the container, under production settings."""
    response = client.get("/healthz/live", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert response.content == b"ok"
    # Every other path still gets the host check and the redirect.
    assert client.get("/healthz", HTTP_HOST="127.0.0.1:8000").status_code == 400
    assert client.get("/healthz/live", HTTP_HOST="concord.example.org").status_code == 200
    assert client.get("/accounts/login/", HTTP_HOST="concord.example.org").status_code == 301


def test_the_liveness_middleware_comes_before_the_host_check_and_the_redirect():
    middleware = settings.MIDDLEWARE
    assert middleware[0] == "core.middleware.LivenessMiddleware"
    assert middleware.index("django.middleware.security.SecurityMiddleware") > 0
    assert middleware.index("django.middleware.common.CommonMiddleware") > 0


def test_the_web_healthcheck_probes_the_liveness_route():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    probe = " ".join(compose["services"]["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz/live" in probe


def test_the_proxy_fronts_gunicorn_and_limits_bodies():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert "ports" not in services["web"], "gunicorn is reached only through the proxy"
    assert services["web"]["environment"]["CONCORD_TRUSTED_PROXY_COUNT"] == "1", "rate limits see the real client"
    proxy = services["proxy"]
    assert proxy["image"].startswith("caddy:")
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert not any(volume.startswith("media:") for volume in proxy["volumes"]), "the proxy never sees uploads"
    assert set(compose["volumes"]) >= {"caddy-data", "caddy-config"}

    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    lines = [line.split("#", 1)[0].strip() for line in caddyfile.splitlines()]
    assert "reverse_proxy web:8000" in lines
    max_size = next(line for line in lines if line.startswith("max_size "))
    assert max_size == f"max_size {{$CONCORD_MAX_REQUEST_BYTES:{settings.CONCORD_MAX_REQUEST_BYTES}}}"
    assert "@media path /media /media/*" in lines
    assert "respond @media 404" in lines
    assert not any(line.startswith(("file_server", "root ")) for line in lines), "the proxy serves no files"


@pytest.mark.django_db
def test_media_files_are_not_served_without_debug(client, settings):
    (settings.MEDIA_ROOT / "handouts").mkdir()
    (settings.MEDIA_ROOT / "handouts" / "secret.pdf").write_bytes(b"%PDF-1.4")
    assert client.get(f"/{settings.MEDIA_URL}handouts/secret.pdf").status_code == 404


# The build context: what `COPY . .` may bake into the image.
def _dockerignore_rules(text: str) -> list[tuple[bool, list[str]]]:
    """(is an exception, pattern segments) per line, as Docker reads .dockerignore."""
    rules = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line.removeprefix("!").strip().strip("/")
        rules.append((negated, [part for part in pattern.split("/") if part not in ("", ".")]))
    return rules


def _segments_match(pattern: list[str], path: list[str]) -> bool:
    """Go's filepath.Match per path segment (fnmatch without crossing "/"), and "**" for any depth."""
    if not pattern:
        return not path
    if pattern[0] == "**":
        return any(_segments_match(pattern[1:], path[index:]) for index in range(len(path) + 1))
    return bool(path) and fnmatch.fnmatchcase(path[0], pattern[0]) and _segments_match(pattern[1:], path[1:])


def _ignored(rules: list[tuple[bool, list[str]]], relative: str) -> bool:
    """The last rule that matches the path or one of its parent folders decides."""
    parts = relative.split("/")
    ignored = False
    for negated, pattern in rules:
        if any(_segments_match(pattern, parts[:depth]) for depth in range(1, len(parts) + 1)):
            ignored = not negated
    return ignored


def _build_context(root: Path, rules: list[tuple[bool, list[str]]]) -> set[str]:
    prune = not any(negated for negated, _ in rules)  # without exceptions an ignored folder is ignored whole
    context = set()
    for folder, dirs, files in os.walk(root):
        base = Path(folder).relative_to(root)
        if prune:
            dirs[:] = [name for name in dirs if not _ignored(rules, (base / name).as_posix())]
        for name in files:
            relative = (base / name).as_posix()
            if not _ignored(rules, relative):
                context.add(relative)
    return context


KEPT_OUT = (".env", ".git", "db.sqlite3", "media", ".venv", "staticfiles", ".test-media")


def test_the_dockerignore_matcher_reads_patterns_as_docker_does():
    rules = _dockerignore_rules("# comment\n/media\n**/__pycache__\n*.sqlite3\n!keep.sqlite3\ndocs/*.md\n")
    assert _ignored(rules, "media/handouts/2026/a.pdf")
    assert not _ignored(rules, "exercises/media/a.pdf"), "patterns are anchored at the context root"
    assert _ignored(rules, "accounts/tests/__pycache__/x.pyc")
    assert _ignored(rules, "db.sqlite3")
    assert not _ignored(rules, "keep.sqlite3"), "a later exception wins"
    assert not _ignored(rules, "config/db.sqlite3"), "* does not cross folders"
    assert _ignored(rules, "docs/a.md")
    assert not _ignored(rules, "docs/sub/a.md")


def test_the_build_context_leaves_out_secrets_and_local_data(tmp_path):
    for name in (
        ".env",
        ".env.production",
        ".git/HEAD",
        "db.sqlite3",
        "media/handouts/2026/guide.pdf",
        ".venv/bin/python",
        "staticfiles/css/concord.css",
        ".test-media/handouts/x.pdf",
        "accounts/__pycache__/models.cpython-311.pyc",
        "manage.py",
        "requirements.txt",
        "config/settings/base.py",
        "static/css/concord.css",
        "templates/base.html",
        "exercises/templates/exercises/x.html",
    ):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    rules = _dockerignore_rules((ROOT / ".dockerignore").read_text())
    context = _build_context(tmp_path, rules)
    assert context == {
        "manage.py",
        "requirements.txt",
        "config/settings/base.py",
        "static/css/concord.css",
        "templates/base.html",
        "exercises/templates/exercises/x.html",
    }


def test_the_build_context_of_this_checkout_has_what_the_image_needs_and_nothing_kept_out():
    rules = _dockerignore_rules((ROOT / ".dockerignore").read_text())
    context = _build_context(ROOT, rules)
    assert {
        "manage.py",
        "requirements.txt",
        "config/wsgi.py",
        "static/css/concord.css",
        "templates/base.html",
    } <= context
    leaked = sorted(path for path in context if path.split("/")[0] in KEPT_OUT or "__pycache__" in path)
    assert not leaked, leaked
    for name in KEPT_OUT:
        assert _ignored(rules, name), name
        assert _ignored(rules, f"{name}/anything"), name


@pytest.mark.django_db
def test_the_demo_and_the_factories_use_passwords_the_policy_accepts():
    from django.contrib.auth.password_validation import validate_password

    from accounts.tests.factories import UserFactory
    from demo.loader import demo_password

    validate_password(demo_password())
    validate_password("concord-pass-1", UserFactory.build())  # the factories' password


def test_property_tests_draw_the_same_examples_in_ci():
    from hypothesis import settings as hypothesis_settings

    assert hypothesis_settings.get_profile("ci").derandomize
    if os.environ.get("CI") == "true":
        assert hypothesis_settings.default.derandomize
