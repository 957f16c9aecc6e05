"""The production profile: refuse to start while anything is left open.

    PACEWISE_ENV=production python -m pacewise.cli.check_production

`make run` calls this first; with PACEWISE_ENV=production it exits with 1 and
names each setting to change when one of these holds. The Rasa server checks
the same at start-up (channels/api_guard.py), so a hand-started production
server refuses too. Outside production nothing is checked (local development
gets generated secrets and an open REST channel on loopback).
"""

from __future__ import annotations

from collections.abc import Mapping

ENV_NAME = "PACEWISE_ENV"
MIN_SECRET_CHARS = 32


def in_production(env: Mapping[str, str]) -> bool:
    return env.get(ENV_NAME, "").strip().lower() == "production"


def _secret_problem(env: Mapping[str, str], name: str, what: str) -> str | None:
    value = env.get(name, "")
    if not value:
        return f"{name} is not set: {what}. Set it to a random string of at least {MIN_SECRET_CHARS} characters."
    if len(value) < MIN_SECRET_CHARS:
        return f"{name} is too short ({len(value)} characters): use at least {MIN_SECRET_CHARS} random characters."
    return None


def problems(env: Mapping[str, str]) -> list[str]:
    """What makes this environment unsafe for production (empty when it is fine or not production)."""
    if not in_production(env):
        return []
    found = [
        _secret_problem(env, "PACEWISE_API_TOKEN", "the Rasa HTTP API (conversations, pain scores) would have no token"),
        _secret_problem(env, "PACEWISE_REST_TOKEN", "the REST channel would accept anyone's messages as any patient"),
        _secret_problem(env, "PACEWISE_PSEUDONYM_SECRET", "patients' keys would rest on a secret generated into one machine's var/"),
        _secret_problem(env, "PACEWISE_ACTION_SECRET", "any program that reaches the action server could run actions"),
        _secret_problem(env, "PACEWISE_SESSION_SECRET", "widget sessions would rest on a secret generated at start-up"),
    ]
    origins = env.get("PACEWISE_ALLOWED_ORIGINS", "").replace(",", " ").split()
    if not origins:
        found.append("PACEWISE_ALLOWED_ORIGINS is not set: list the clinic web sites allowed to call the server (https://...).")
    elif "*" in origins:
        found.append("PACEWISE_ALLOWED_ORIGINS contains '*': list the clinic web sites allowed to call the server instead.")
    elif any(not origin.startswith("https://") for origin in origins):
        found.append("PACEWISE_ALLOWED_ORIGINS lists an origin that is not https://: patients' messages must be encrypted.")
    public = env.get("PACEWISE_PUBLIC_URL", "")
    if not public.startswith("https://"):
        found.append("PACEWISE_PUBLIC_URL must be the server's https:// address (links to charts and exports are sent to patients).")
    return [problem for problem in found if problem]
