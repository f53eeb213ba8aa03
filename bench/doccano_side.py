"""doccano 1.8.4 for comparison: install it into bench/.venv-doccano, start it, drive its REST API.

Everything here is best effort: every failure is raised as DoccanoUnavailable with the reason,
which run.py prints and records instead of the doccano figures.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
VENV = BENCH / ".venv-doccano"
HOME = BENCH / "doccano-home"  # ignored by git (bench/doccano*/)
PIN = ["doccano==1.8.4", "marshmallow<3.24", "numpy<2"]


class DoccanoUnavailable(RuntimeError):
    pass


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join((text or "").strip().splitlines()[-lines:])


def ensure_installed(log=print) -> Path:
    """Create bench/.venv-doccano with Python 3.11 and pip-install doccano there; return its bin/."""
    bin_dir = VENV / "bin"
    marker = VENV / ".installed-doccano"
    if marker.exists() and (bin_dir / "doccano").exists():
        return bin_dir
    python = shutil.which("python3.11") or sys.executable
    if not (bin_dir / "python").exists():
        log(f"doccano: creating {VENV} with {python}")
        made = subprocess.run([python, "-m", "venv", str(VENV)], capture_output=True, text=True)
        if made.returncode:
            raise DoccanoUnavailable(f"python -m venv failed: {_tail(made.stderr)}")
    log("doccano: pip install " + " ".join(PIN) + " (several minutes the first time)")
    started = time.monotonic()
    pip = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", *PIN],
        capture_output=True, text=True, timeout=1800,
    )
    if pip.returncode:
        raise DoccanoUnavailable(f"pip install {' '.join(PIN)} failed (exit {pip.returncode}):\n{_tail(pip.stderr or pip.stdout)}")
    if not (bin_dir / "doccano").exists():
        raise DoccanoUnavailable("pip succeeded but bench/.venv-doccano/bin/doccano is missing")
    marker.write_text(f"installed in {time.monotonic() - started:.0f}s\n")
    return bin_dir


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Doccano:
    """A running doccano webserver on a fresh SQLite database under bench/doccano-home/."""

    def __init__(self, bin_dir: Path, log=print):
        self.bin = bin_dir
        self.log = log
        self.proc = None
        self.port = _free_port()
        self.token = None

    def env(self) -> dict:
        if HOME.exists():
            shutil.rmtree(HOME)
        HOME.mkdir(parents=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
        env.update({
            "DATABASE_URL": f"sqlite:///{HOME}/doccano.db",
            "MEDIA_ROOT": str(HOME / "media"),
            "DEBUG": "False",
            "HOME": str(HOME),
            "ALLOW_SIGNUP": "False",
        })
        return env

    def start(self) -> None:
        env = self._env = self.env()
        doccano = str(self.bin / "doccano")
        for args in (["init"], ["createuser", "--username", "bench", "--password", "bench-password-1"]):
            step = subprocess.run([doccano, *args], env=env, cwd=HOME, capture_output=True, text=True, timeout=600)
            if step.returncode:
                raise DoccanoUnavailable(f"`doccano {' '.join(args)}` failed (exit {step.returncode}):\n{_tail(step.stderr or step.stdout)}")
        self.logfile = open(HOME / "webserver.log", "w")
        self.proc = subprocess.Popen(
            [doccano, "webserver", "--port", str(self.port), "--workers", "2"],
            env=env, cwd=HOME, stdout=self.logfile, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise DoccanoUnavailable(f"`doccano webserver` exited {self.proc.returncode}:\n{_tail((HOME / 'webserver.log').read_text())}")
            # Not /v1/health/: it waits for a celery worker, which a bare webserver has not got.
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                status, _ = self.call("GET", "/v1/me", auth=False)
                if status < 500:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise DoccanoUnavailable(f"`doccano webserver` did not answer in 90 s:\n{_tail((HOME / 'webserver.log').read_text())}")
        status, body = self.call("POST", "/v1/auth/login/", {"username": "bench", "password": "bench-password-1"}, auth=False)
        if status != 200 or "key" not in body:
            raise DoccanoUnavailable(f"POST /v1/auth/login/ answered {status}: {str(body)[:300]}")
        self.token = body["key"]

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)

    def call(self, method: str, path: str, body=None, auth: bool = True):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if auth and self.token:
            request.add_header("Authorization", f"Token {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                raw = response.read()
                return response.status, (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                return error.code, json.loads(raw)
            except ValueError:
                return error.code, raw[:300]


if __name__ == "__main__":  # python bench/doccano_side.py: install and start once, as a smoke test
    side = Doccano(ensure_installed())
    try:
        side.start()
        print("doccano up on port", side.port, "token", bool(side.token))
    finally:
        side.stop()
