"""Every `manage.py` command the README shows works as written in a new shell: nothing to export
first (the checkout's .env, written by `make`, holds the local settings)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
# Code blocks write `.venv/bin/python manage.py …`, the prose `manage.py …`: both are run here.
COMMAND = re.compile(r"manage\.py (\w+)")
COMMANDS = sorted(set(COMMAND.findall((ROOT / "README.md").read_text(encoding="utf-8"))))


def fresh_shell_environment() -> dict[str, str]:
    # What a new login shell has: no DEBUG, no SECRET_KEY, no settings module, no database URL.
    kept = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    return {name: os.environ[name] for name in kept if name in os.environ}


def test_the_readme_shows_the_commands_users_need():
    assert {
        "import_documents",
        "createsuperuser",
        "extract_entities",
        "export_annotations",
        "import_annotations",
    } <= set(COMMANDS)


# One new shell runs every command's `--help` through manage.py, one after another: a process
# each cost 1.3 s of start-up apiece, seventeen times over.
EACH_COMMAND = """
import contextlib, io, json, runpy, sys
results = {}
for command in sys.argv[1:]:
    sys.argv = ["manage.py", command, "--help"]
    errors = io.StringIO()
    code = 0
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(errors):
            runpy.run_path("manage.py", run_name="__main__")
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except Exception as error:
        code, errors = 1, io.StringIO(repr(error))
    results[command] = [code, errors.getvalue()[-2000:]]
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def readme_commands_run():
    assert (ROOT / ".env").exists(), "run `make install` (or make run / make test) once: it writes .env"
    result = subprocess.run(
        [str(PYTHON), "-c", EACH_COMMAND, *COMMANDS],
        cwd=ROOT,
        env=fresh_shell_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not PYTHON.exists(), reason="the README's commands use the .venv that `make` creates")
@pytest.mark.parametrize("command", COMMANDS)
def test_each_readme_command_starts_in_a_new_shell(command, readme_commands_run):
    code, errors = readme_commands_run[command]
    assert code == 0, errors
    assert "ImproperlyConfigured" not in errors
