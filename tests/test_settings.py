"""Settings come from the environment: checked in a fresh interpreter for each case."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.STORAGES['staticfiles']['BACKEND'], s.DATABASES['default']['ENGINE'], s.ALLOWED_HOSTS)"
)


def run_settings(env_file: str = "/nonexistent/.env", **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "readingroom.settings", "READINGROOM_ENV_FILE": env_file, **env},
        capture_output=True,
        text=True,
    )


def test_it_refuses_to_start_without_a_secret_key_unless_debugging():
    result = run_settings(DEBUG="0")
    assert result.returncode != 0
    assert "Set SECRET_KEY in the environment" in result.stderr


def test_production_settings_serve_hashed_compressed_static_files():
    result = run_settings(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="news.example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "readingroom.storage.StaticFilesStorage",
        "django.db.backends.sqlite3",
        "['news.example.org']",
    ]


def test_production_static_modules_import_each_other_by_their_hashed_names(tmp_path):
    """The compare page loads links.<hash>.js; were its `import … from "./annotate.js"` left as it
    is, the browser would load annotate.js a second time, as another module that runs again."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "STATIC_PLAIN", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DEBUG="0",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="news.example.org",
        STATIC_ROOT=str(tmp_path),
        READINGROOM_ENV_FILE="/nonexistent/.env",
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (links,) = [p for p in (tmp_path / "js").glob("links.*.js") if not p.name.endswith((".gz", ".br"))]
    imports = re.findall(r'from "(\./[^"]+)"', links.read_text())
    assert imports and all(re.fullmatch(r"\./\w+\.[0-9a-f]{12}\.js", name) for name in imports), imports


def test_database_url_selects_postgresql():
    result = run_settings(DEBUG="1", DATABASE_URL="postgres://reader@127.0.0.1:5432/readingroom")
    assert "django.db.backends.postgresql" in result.stdout, result.stderr


def test_a_misspelt_boolean_is_an_error_not_a_guess():
    result = run_settings(DEBUG="ture")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_a_local_env_file_is_read_and_the_real_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nSECRET_KEY=from-the-env-file\n")
    assert run_settings(env_file=str(env_file)).stdout.split()[0] == "True"
    overridden = run_settings(env_file=str(env_file), DEBUG="0", ALLOWED_HOSTS="news.example.org")
    assert overridden.returncode == 0, overridden.stderr
    assert overridden.stdout.split()[0] == "False"
