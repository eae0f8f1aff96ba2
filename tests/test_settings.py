"""Settings come from the environment; production refuses to start unsafely and passes Django's deploy checks."""

import os
import secrets
import subprocess
import sys

import pytest

# Variables that would change what the settings module decides, removed so each run starts clean.
SETTINGS_VARIABLES = {
    "PYTEST_VERSION", "PATHWAYS_ENV", "SECRET_KEY", "BID_SEALING_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL",
    "EMAIL_URL", "CACHE_URL", "STATIC_ROOT", "MEDIA_ROOT", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE",
}


@pytest.fixture
def production(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env.update(PATHWAYS_ENV="production", PATHWAYS_VAR_DIR=str(tmp_path))
    return env


def pathways(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "pathways.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key(production):
    result = pathways("check", env=production)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set to a random value of at least 50 characters" in result.stderr


def test_production_refuses_a_short_secret_key(production):
    result = pathways("check", env=production | {"SECRET_KEY": "too-short"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_its_own_bid_sealing_key(production):
    key = secrets.token_urlsafe(50)
    for sealing in ({}, {"BID_SEALING_KEY": "too-short"}, {"BID_SEALING_KEY": key}):
        result = pathways("check", env=production | {"SECRET_KEY": key} | sealing)
        assert result.returncode != 0
        assert "BID_SEALING_KEY must be set" in result.stderr


def test_production_passes_the_deploy_checks_with_no_warnings(production):
    env = production | {
        "SECRET_KEY": secrets.token_urlsafe(50), "BID_SEALING_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.org",
    }
    result = pathways("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_development_needs_nothing_set(production):
    result = pathways("check", env=production | {"PATHWAYS_ENV": "development"})
    assert result.returncode == 0, result.stderr


def test_an_unknown_environment_name_is_refused(production):
    result = pathways("check", env=production | {"PATHWAYS_ENV": "staging"})
    assert result.returncode != 0
    assert "PATHWAYS_ENV must be development, test or production" in result.stderr


def test_jobs_use_redis_when_redis_url_is_set(production):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    env = production | {"PATHWAYS_ENV": "development", "REDIS_URL": "redis://127.0.0.1:6379/15"}
    probe = "from huey.contrib.djhuey import HUEY; print(type(HUEY).__name__, HUEY.storage.conn.ping())"
    result = pathways("shell", "-c", probe, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["RedisHuey", "True"]


def test_jobs_use_the_sqlite_store_under_var_by_default(production, tmp_path):
    probe = "from huey.contrib.djhuey import HUEY; print(type(HUEY).__name__, HUEY.storage.filename)"
    result = pathways("shell", "-c", probe, env=production | {"PATHWAYS_ENV": "development"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["SqliteHuey", str(tmp_path / "huey.db")]
