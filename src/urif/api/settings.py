"""Service settings from the environment and an optional file (pydantic-settings).

The signing key comes from ``URIF_SECRET_KEY`` or the key file; when neither exists,
:func:`signing_key` creates the file on first start (mode 0600) so no secret is ever
committed or printed.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_cache_dir() -> Path:
    """``~/.cache/urif`` (the CLI's default too), or under the temp folder without a home."""
    import tempfile

    home = Path.home()
    base = home / ".cache" if home.is_dir() else Path(tempfile.gettempdir())
    return base / "urif"


class ServiceSettings(BaseSettings):
    """Settings of ``urif serve``: env vars prefixed ``URIF_`` or ``urif.env``."""

    model_config = SettingsConfigDict(
        env_prefix="URIF_", env_file="urif.env", env_file_encoding="utf-8", extra="ignore"
    )

    db: str = Field(default="sqlite:///urif.db", description="Database URL")
    secret_key: SecretStr | None = Field(default=None, description="Token signing key")
    secret_key_file: Path = Field(default=Path(".urif/secret.key"))
    token_minutes: int = Field(default=30, ge=1, le=24 * 60)
    session_minutes: int = Field(default=8 * 60, ge=1)
    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    login_failures_allowed: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=300, ge=1)
    secure_cookies: bool = Field(default=False, description="Set for HTTPS deployments")
    cache_dir: Path = Field(default_factory=_default_cache_dir, description="Screening index cache")
    sanctions_dir: Path | None = Field(
        default=None, description="List files to screen with when the database has none"
    )


def signing_key(settings: ServiceSettings) -> str:
    """The configured signing key, or the key file's, creating the file when absent."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    path = settings.secret_key_file
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker created it first: use theirs
        return _read_when_written(path)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


def _read_when_written(path: Path) -> str:
    """The key another process is writing (it may be empty for an instant)."""
    import time

    for _ in range(100):
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
        time.sleep(0.01)
    raise RuntimeError(f"signing key file {path} stayed empty")
