"""What names say about values, credential formats and random sources."""

from __future__ import annotations

import pytest

from flake8_secure.analysis.calls import is_test_path
from flake8_secure.analysis.frameworks.crypto import insecure_random, is_password_name, is_secret_name, name_words
from flake8_secure.analysis.frameworks.secrets import known_format


def test_name_words_split_every_spelling() -> None:
    assert name_words("resetToken") == name_words("RESET_TOKEN") == name_words("reset_token") == ["reset", "token"]
    assert name_words("HTTPSessionID") == ["http", "session", "id"]


@pytest.mark.parametrize("name", [
    "token", "reset_token", "DB_PASSWORD", "api_key", "SECRET_KEY", "aws_secret_access_key", "session_id",
    "otp_code", "csrfToken", "client_secret", "salt", "nonce", "verification_code", "api_key_value",
])
def test_secret_names(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize("name", [
    "token_type", "password_reset_url", "NEXT_TOKEN_KEY", "sort_key", "cache_key", "key", "token_length",
    "session_timeout", "aws_access_key_id", "user_id", "code", "request_id", "PASSWORD_FIELD", "",
])
def test_not_secret_names(name: str) -> None:
    assert not is_secret_name(name)


def test_password_names() -> None:
    assert all(map(is_password_name, ["password", "raw_password", "new_pw", "passwordConfirm", "passwd"]))
    assert not any(map(is_password_name, ["password_reset_url", "password_hash", "PASSWORD_FIELD", "pwd_len"]))


def test_known_formats() -> None:
    assert known_format("AKIA" + "Q" * 16) == "an AWS access key id"
    assert known_format("AKIAIOSFODNN7" + "EXAMPLE") is None  # the AWS documentation key
    assert known_format(b"-----BEGIN OPENSSH " + b"PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE") == "a private key"
    assert known_format(b"-----BEGIN OPENSSH " + b"PRIVATE KEY-----") is None  # a parser's marker
    assert known_format("-----BEGIN PUBLIC KEY-----\nMIIB") is None
    assert known_format("short") is None


def test_insecure_random_origins() -> None:
    assert all(map(insecure_random, ["random.choice", "random.Random", "numpy.random.randint", "uuid.uuid1"]))
    secure = ["random.SystemRandom.choice", "random.seed", "secrets.choice", "uuid.uuid4", "randomize"]
    assert not any(map(insecure_random, secure))


def test_test_paths() -> None:
    assert all(map(is_test_path, ["tests/test_a.py", "pkg/test/x.py", "test_login.py", "a/b_test.py",
                                  "conftest.py", "C:\\src\\tests\\x.py"]))
    assert not any(map(is_test_path, ["app/views.py", "attestation.py", "contest.py", "latest/x.py"]))
