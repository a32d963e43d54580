"""Tiny typed readers for environment variables that fail loudly on a bad value."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path


class ConfigError(ValueError):
    """A setting given in the environment cannot be used."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str, environ: Mapping[str, str] = os.environ) -> str:
    return environ.get(name, default)


def env_bool(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false (got {raw!r}).")


def env_int(
    name: str,
    default: int,
    environ: Mapping[str, str] = os.environ,
    minimum: int | None = None,
) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name} must be a whole number (got {raw!r}).") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum} (got {value}).")
    return value


def env_ip(name: str, environ: Mapping[str, str] = os.environ) -> str:
    """An IP address (v4 or v6), or "" when unset."""
    raw = environ.get(name, "").strip()
    if not raw:
        return ""
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        raise ConfigError(
            f"{name} must be an IP address such as 127.0.0.1 (got {raw!r})."
        ) from None


def env_choice(
    name: str, default: str, choices: tuple[str, ...], environ: Mapping[str, str] = os.environ
) -> str:
    """One of a few words; a typo stops start-up instead of silently meaning the default."""
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value not in choices:
        allowed = " or ".join(choices)
        raise ConfigError(f"{name} must be {allowed} (got {raw!r}).")
    return value


def env_port(name: str, default: int, environ: Mapping[str, str] = os.environ) -> int:
    value = env_int(name, default, environ, minimum=1)
    if value > 65535:
        raise ConfigError(f"{name} must be a port number from 1 to 65535 (got {value}).")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] = os.environ) -> list[str]:
    raw = environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def default_data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Per-user data directory: $XDG_DATA_HOME/debrief or ~/.local/share/debrief."""
    xdg = environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "debrief"


def env_path(name: str, default: Path, environ: Mapping[str, str] = os.environ) -> Path:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return Path(raw).expanduser()
