import os
import subprocess
import sys

import pytest

from csphub import settings as configured


def test_passwords_are_hashed_with_argon2():
    assert configured.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_session_expires_after_thirty_idle_minutes():
    assert configured.SESSION_COOKIE_AGE == 30 * 60
    assert configured.SESSION_SAVE_EVERY_REQUEST is True


def _production_env(**extra: str) -> dict[str, str]:
    ignored = {"DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    env.update(
        CSPHUB_ENV="production",
        ALLOWED_HOSTS="csphub.example.org",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-for-tests-only-0123",
        AUDIT_CHAIN_KEY="a-random-audit-chain-key-for-tests-only-0123456789",
        **extra,
    )
    return env


@pytest.mark.slow
def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "-m", "csphub", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_check_deploy_names_a_missing_audit_chain_key():
    env = _production_env()
    env.pop("AUDIT_CHAIN_KEY")
    result = subprocess.run(
        [sys.executable, "-m", "csphub", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "audit.E001" in result.stderr and "AUDIT_CHAIN_KEY" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "-c", "import csphub.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = "s" * 60
    (tmp_path / "key").write_text(secret + "\n")
    env = _production_env(SECRET_KEY_FILE=str(tmp_path / "key"))
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import csphub.settings as s; print(s.SECRET_KEY == 's' * 60, s.DEBUG)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split() == ["True", "False"], result.stderr
