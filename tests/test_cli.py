"""The `pathways` command as a person runs it: a fresh SQLite database, then `pathways serve`."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def fresh_environment(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "PYTEST_VERSION", "PATHWAYS_ENV", "REDIS_URL", "HUEY_IMMEDIATE"}
    }
    env.update(PATHWAYS_VAR_DIR=str(tmp_path), PATHWAYS_ENV="development")
    return env


def pathways(*args, env, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "pathways.cli", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def test_pathways_wraps_manage_py_commands(fresh_environment):
    result = pathways("help", env=fresh_environment)
    assert result.returncode == 0
    for command in ("migrate", "createsuperuser", "shell", "serve", "demo", "run_huey"):
        assert command in result.stdout


def test_serve_answers_on_port_with_a_job_consumer_and_stops_both(fresh_environment, tmp_path):
    assert pathways("migrate", "--noinput", env=fresh_environment).returncode == 0
    assert (tmp_path / "pathways.sqlite3").exists()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "pathways.cli", "serve"],
        env={**fresh_environment, "PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    status = response.status
            except OSError:
                time.sleep(0.3)
        assert status == 200
        consumers = subprocess.run(["pgrep", "-f", "pathways.cli run_huey", "-s", str(server.pid)], capture_output=True, text=True)
        assert consumers.stdout.strip(), "the job consumer was not started beside the web server"
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in output
    assert "Job consumer started" in output
    leftover = subprocess.run(["pgrep", "-s", str(server.pid)], capture_output=True, text=True)
    assert not leftover.stdout.strip(), "a process of `pathways serve` outlived it"
