"""Web security: the policy headers, no inline script anywhere, production settings that pass
Django's deployment checks."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import make_annotation, make_document, make_user

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-production-secret-from-the-environment-" + "q" * 20,
    "ALLOWED_HOSTS": "reading.example.org",
}


@pytest.mark.django_db
def test_every_page_has_a_content_security_policy_without_inline_scripts(client):
    document = make_document()
    response = client.get(reverse("document_detail", args=[document.pk]))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_no_page_carries_an_inline_script_event_handler_or_style_attribute(client):
    user = make_user()
    first, second = make_document(), make_document()
    make_annotation(user=user, document=first, body="<b onmouseover=alert(1)>x</b> [a](javascript:alert(1))")
    client.force_login(user)
    urls = [
        reverse("document_list"),
        reverse("document_detail", args=[first.pk]),
        reverse("compare") + f"?doc={first.pk}&doc={second.pk}",
        reverse("entity_list"),
        reverse("annotation_panel") + f"?doc={first.pk}",
        reverse("login"),
        reverse("signup"),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\son[a-z]+\s*=", html), url
        assert not re.search(r"\sstyle\s*=", html), url
        assert "javascript:" not in html, url


def production_environment(**env: str) -> dict:
    """This process's environment without the settings under test, nor the DJANGO_* switches the
    test run itself sets (the browser tests allow sync ORM calls inside Playwright's event loop)."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"} and not k.startswith("DJANGO_")
    }
    return {**keep, **PRODUCTION, **env}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_environment(**env),
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_the_deployment_checks():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_cookies_are_secure_and_http_only():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=production_environment(DJANGO_SETTINGS_MODULE="readingroom.settings"),
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "31536000"], result.stderr


@pytest.mark.django_db
def test_every_state_change_refuses_a_request_without_a_csrf_token():
    from django.test import Client

    from readingroom.annotations.models import Visibility
    from readingroom.annotations.sessions import session_start

    user = make_user()
    document = make_document()
    annotation = make_annotation(user=user, document=document, visibility=Visibility.PUBLIC)
    session = session_start(user=user, title="s", documents=[document])
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    posts = [
        reverse("annotation_container"),
        reverse("annotation_edit", args=[annotation.pk]),
        reverse("annotation_delete", args=[annotation.pk]),
        reverse("annotation_reply", args=[annotation.pk]),
        reverse("session_new"),
        reverse("session_members", args=[session.pk]),
        reverse("session_here", args=[session.pk]),
        reverse("session_join", args=[session.invite_token]),
        reverse("logout"),
        reverse("admin:library_document_import"),
    ]
    for url in posts:
        assert client.post(url, {"body": "x", "action": "close"}).status_code == 403, url
    for method in (client.put, client.delete):
        assert method(reverse("annotation_detail", args=[annotation.pk])).status_code == 403
    anonymous = Client(enforce_csrf_checks=True)
    for url in (reverse("login"), reverse("signup")):
        assert anonymous.post(url, {"username": "x", "password": "y"}).status_code == 403, url
    session.refresh_from_db()
    assert not session.closed and annotation.body == ""


def test_static_files_served_by_whitenoise_carry_the_content_security_policy(settings, tmp_path):
    from django.test import Client, override_settings

    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "probe.css").write_text("body { color: black; }\n")
    # WhiteNoise reads its settings when the middleware is built: a fresh client builds it.
    with override_settings(WHITENOISE_USE_FINDERS=False, STATIC_ROOT=tmp_path, WHITENOISE_AUTOREFRESH=True):
        response = Client().get("/static/css/probe.css")
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("default-src 'self'")
    assert response["X-Content-Type-Options"] == "nosniff"
