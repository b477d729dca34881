# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""Connection options shared by every module, and how they resolve: parameter, then environment, then default.

Free of Ansible and of the Docker SDK, so the rules are unit-tested with plain dictionaries."""

from __future__ import annotations

import os
import typing as t
from dataclasses import dataclass

DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock"
DEFAULT_API_VERSION = "auto"
DEFAULT_TIMEOUT = 60

# The argument spec has no defaults on purpose: "not given" must stay visible
# so that the environment can fill the gap before the default does.
CONNECTION_ARGUMENT_SPEC: t.Dict[str, t.Dict[str, t.Any]] = {
    "docker_host": {"type": "str", "aliases": ["docker_url"]},
    "api_version": {"type": "str", "aliases": ["docker_api_version"]},
    "timeout": {"type": "int"},
    "tls": {"type": "bool"},
    "validate_certs": {"type": "bool", "aliases": ["tls_verify"]},
    "ca_path": {"type": "path", "aliases": ["ca_cert", "tls_ca_cert", "cacert_path"]},
    "client_cert": {"type": "path", "aliases": ["tls_client_cert", "cert_path"]},
    "client_key": {"type": "path", "aliases": ["tls_client_key", "key_path"]},
    "tls_hostname": {"type": "str"},
    "use_ssh_client": {"type": "bool"},
}

_TRUE_STRINGS = frozenset({"1", "true", "yes", "on", "y", "t"})
_FALSE_STRINGS = frozenset({"0", "false", "no", "off", "n", "f", ""})


class OptionError(ValueError):
    """A connection option has a value that cannot be used."""


@dataclass(frozen=True)
class ConnectionSettings:
    docker_host: str
    api_version: str
    timeout: int
    tls: bool
    validate_certs: bool
    ca_path: t.Optional[str]
    client_cert: t.Optional[str]
    client_key: t.Optional[str]
    tls_hostname: t.Optional[str]
    use_ssh_client: bool

    @property
    def uses_tls(self) -> bool:
        return self.tls or self.validate_certs


def env_bool(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE_STRINGS | _FALSE_STRINGS:
        return lowered in _TRUE_STRINGS
    raise OptionError(f"environment variable {name}={value!r} is not a boolean; use 1/0 or true/false")


def _cert_file(params: t.Mapping[str, t.Any], key: str, env: t.Mapping[str, str], filename: str) -> t.Optional[str]:
    if params.get(key):
        return str(params[key])
    cert_dir = env.get("DOCKER_CERT_PATH")
    return os.path.join(cert_dir, filename) if cert_dir else None


def resolve_connection(params: t.Mapping[str, t.Any], env: t.Mapping[str, str]) -> ConnectionSettings:
    def pick(key: str, env_name: str, default: str) -> str:
        if params.get(key) is not None:
            return str(params[key])
        return env.get(env_name) or default

    def pick_bool(key: str, env_name: str) -> bool:
        if params.get(key) is not None:
            return bool(params[key])
        return env_bool(env_name, env[env_name]) if env_name in env else False

    docker_host = pick("docker_host", "DOCKER_HOST", DEFAULT_DOCKER_HOST)
    if "://" not in docker_host:
        raise OptionError(
            f"docker_host={docker_host!r} has no scheme; write it as unix:///path/to/docker.sock, "
            "tcp://HOST:PORT or ssh://USER@HOST"
        )
    timeout_text = pick("timeout", "DOCKER_TIMEOUT", str(DEFAULT_TIMEOUT))
    try:
        timeout = int(timeout_text)
    except ValueError:
        raise OptionError(f"timeout={timeout_text!r} is not a whole number of seconds") from None
    if timeout <= 0:
        raise OptionError(f"timeout={timeout} must be a positive number of seconds")
    return ConnectionSettings(
        docker_host=docker_host,
        api_version=pick("api_version", "DOCKER_API_VERSION", DEFAULT_API_VERSION),
        timeout=timeout,
        tls=pick_bool("tls", "DOCKER_TLS"),
        validate_certs=pick_bool("validate_certs", "DOCKER_TLS_VERIFY"),
        ca_path=_cert_file(params, "ca_path", env, "ca.pem"),
        client_cert=_cert_file(params, "client_cert", env, "cert.pem"),
        client_key=_cert_file(params, "client_key", env, "key.pem"),
        tls_hostname=params.get("tls_hostname") or env.get("DOCKER_TLS_HOSTNAME") or None,
        use_ssh_client=bool(params.get("use_ssh_client")),
    )


def parse_api_version(text: str) -> t.Tuple[int, ...]:
    """'1.41' -> (1, 41); used to compare Engine API versions numerically."""
    try:
        return tuple(int(part) for part in text.strip().split("."))
    except ValueError:
        raise OptionError(f"api_version={text!r} is not a version like 1.41 (or 'auto')") from None


def api_at_least(current: str, minimum: str) -> bool:
    return parse_api_version(current) >= parse_api_version(minimum)
