# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for the resolution of connection options (parameter, environment, default)."""

from __future__ import annotations

import os
import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._options import (
    CONNECTION_ARGUMENT_SPEC,
    DEFAULT_API_VERSION,
    DEFAULT_DOCKER_HOST,
    DEFAULT_TIMEOUT,
    ConnectionSettings,
    OptionError,
    api_at_least,
    env_bool,
    parse_api_version,
    resolve_connection,
)

# option, environment variable, parameter value, environment value, expected from parameter, from environment, default
RESOLUTION_TABLE = [
    pytest.param("docker_host", "DOCKER_HOST", "tcp://param:2376", "tcp://env:2376",
                 "tcp://param:2376", "tcp://env:2376", DEFAULT_DOCKER_HOST, id="docker_host"),
    pytest.param("api_version", "DOCKER_API_VERSION", "1.44", "1.41", "1.44", "1.41", DEFAULT_API_VERSION, id="api_version"),
    pytest.param("timeout", "DOCKER_TIMEOUT", 5, "7", 5, 7, DEFAULT_TIMEOUT, id="timeout"),
    pytest.param("tls", "DOCKER_TLS", True, "1", True, True, False, id="tls"),
    pytest.param("validate_certs", "DOCKER_TLS_VERIFY", True, "true", True, True, False, id="validate_certs"),
    pytest.param("tls_hostname", "DOCKER_TLS_HOSTNAME", "param.example", "env.example",
                 "param.example", "env.example", None, id="tls_hostname"),
    pytest.param("ca_path", "DOCKER_CERT_PATH", "/param/ca.pem", "/env/certs",
                 "/param/ca.pem", os.path.join("/env/certs", "ca.pem"), None, id="ca_path"),
    pytest.param("client_cert", "DOCKER_CERT_PATH", "/param/cert.pem", "/env/certs",
                 "/param/cert.pem", os.path.join("/env/certs", "cert.pem"), None, id="client_cert"),
    pytest.param("client_key", "DOCKER_CERT_PATH", "/param/key.pem", "/env/certs",
                 "/param/key.pem", os.path.join("/env/certs", "key.pem"), None, id="client_key"),
]


@pytest.mark.parametrize("option, env_name, param_value, env_value, from_param, from_env, default", RESOLUTION_TABLE)
def test_parameter_wins_over_environment(
    option: str, env_name: str, param_value: t.Any, env_value: str, from_param: t.Any, from_env: t.Any, default: t.Any
) -> None:
    settings = resolve_connection({option: param_value}, {env_name: env_value})
    assert getattr(settings, option) == from_param


@pytest.mark.parametrize("option, env_name, param_value, env_value, from_param, from_env, default", RESOLUTION_TABLE)
def test_environment_wins_over_default(
    option: str, env_name: str, param_value: t.Any, env_value: str, from_param: t.Any, from_env: t.Any, default: t.Any
) -> None:
    settings = resolve_connection({option: None}, {env_name: env_value})
    assert getattr(settings, option) == from_env


@pytest.mark.parametrize("option, env_name, param_value, env_value, from_param, from_env, default", RESOLUTION_TABLE)
def test_default_when_neither_given(
    option: str, env_name: str, param_value: t.Any, env_value: str, from_param: t.Any, from_env: t.Any, default: t.Any
) -> None:
    settings = resolve_connection({option: None}, {})
    assert getattr(settings, option) == default


def test_every_connection_option_is_in_the_resolution_table() -> None:
    covered = {case.values[0] for case in RESOLUTION_TABLE} | {"use_ssh_client"}
    assert covered == set(CONNECTION_ARGUMENT_SPEC)


def test_argument_spec_has_no_defaults() -> None:
    # A default in the spec would hide "not given" from the environment lookup.
    assert all("default" not in spec for spec in CONNECTION_ARGUMENT_SPEC.values())


@pytest.mark.parametrize(
    "params, env, expected",
    [
        pytest.param({}, {}, False, id="default"),
        pytest.param({"use_ssh_client": True}, {}, True, id="parameter"),
        pytest.param({"use_ssh_client": False}, {}, False, id="parameter-false"),
    ],
)
def test_use_ssh_client(params: t.Dict[str, t.Any], env: t.Dict[str, str], expected: bool) -> None:
    assert resolve_connection(params, env).use_ssh_client is expected


def test_defaults_without_anything() -> None:
    assert resolve_connection({}, {}) == ConnectionSettings(
        docker_host=DEFAULT_DOCKER_HOST,
        api_version=DEFAULT_API_VERSION,
        timeout=DEFAULT_TIMEOUT,
        tls=False,
        validate_certs=False,
        ca_path=None,
        client_cert=None,
        client_key=None,
        tls_hostname=None,
        use_ssh_client=False,
    )


@pytest.mark.parametrize(
    "option, env_name",
    [
        pytest.param("docker_host", "DOCKER_HOST", id="docker_host"),
        pytest.param("api_version", "DOCKER_API_VERSION", id="api_version"),
        pytest.param("tls_hostname", "DOCKER_TLS_HOSTNAME", id="tls_hostname"),
    ],
)
def test_empty_environment_value_falls_back_to_default(option: str, env_name: str) -> None:
    assert getattr(resolve_connection({}, {env_name: ""}), option) == getattr(resolve_connection({}, {}), option)


def test_docker_cert_path_provides_all_three_files() -> None:
    settings = resolve_connection({}, {"DOCKER_CERT_PATH": "/certs"})
    assert (settings.ca_path, settings.client_cert, settings.client_key) == (
        os.path.join("/certs", "ca.pem"),
        os.path.join("/certs", "cert.pem"),
        os.path.join("/certs", "key.pem"),
    )


def test_docker_cert_path_fills_only_what_the_task_leaves_out() -> None:
    settings = resolve_connection({"client_cert": "/mine/client.crt"}, {"DOCKER_CERT_PATH": "/certs"})
    assert settings.client_cert == "/mine/client.crt"
    assert settings.ca_path == os.path.join("/certs", "ca.pem")
    assert settings.client_key == os.path.join("/certs", "key.pem")


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("1", True, id="one"),
        pytest.param("0", False, id="zero"),
        pytest.param("true", True, id="true"),
        pytest.param("false", False, id="false"),
        pytest.param("TRUE", True, id="upper-true"),
        pytest.param("False", False, id="capital-false"),
        pytest.param("yes", True, id="yes"),
        pytest.param("no", False, id="no"),
        pytest.param(" on ", True, id="padded-on"),
        pytest.param("off", False, id="off"),
        pytest.param("", False, id="empty"),
    ],
)
def test_env_bool_accepts(value: str, expected: bool) -> None:
    assert env_bool("DOCKER_TLS", value) is expected


@pytest.mark.parametrize("value", ["2", "maybe", "enabled", "tru", "-1"], ids=["two", "maybe", "enabled", "typo", "minus-one"])
def test_env_bool_rejects(value: str) -> None:
    with pytest.raises(OptionError) as exc_info:
        env_bool("DOCKER_TLS_VERIFY", value)
    assert "DOCKER_TLS_VERIFY" in str(exc_info.value)
    assert repr(value) in str(exc_info.value)


@pytest.mark.parametrize(
    "env_name, option, value, expected",
    [
        pytest.param("DOCKER_TLS", "tls", "1", True, id="tls-1"),
        pytest.param("DOCKER_TLS", "tls", "0", False, id="tls-0"),
        pytest.param("DOCKER_TLS", "tls", "true", True, id="tls-true"),
        pytest.param("DOCKER_TLS", "tls", "false", False, id="tls-false"),
        pytest.param("DOCKER_TLS_VERIFY", "validate_certs", "1", True, id="verify-1"),
        pytest.param("DOCKER_TLS_VERIFY", "validate_certs", "0", False, id="verify-0"),
        pytest.param("DOCKER_TLS_VERIFY", "validate_certs", "true", True, id="verify-true"),
        pytest.param("DOCKER_TLS_VERIFY", "validate_certs", "false", False, id="verify-false"),
    ],
)
def test_environment_booleans(env_name: str, option: str, value: str, expected: bool) -> None:
    assert getattr(resolve_connection({}, {env_name: value}), option) is expected


@pytest.mark.parametrize("env_name", ["DOCKER_TLS", "DOCKER_TLS_VERIFY"])
def test_invalid_environment_boolean_is_an_error(env_name: str) -> None:
    with pytest.raises(OptionError, match=env_name):
        resolve_connection({}, {env_name: "sometimes"})


@pytest.mark.parametrize(
    "option, env_name",
    [pytest.param("tls", "DOCKER_TLS", id="tls"), pytest.param("validate_certs", "DOCKER_TLS_VERIFY", id="validate_certs")],
)
def test_parameter_false_beats_environment_true(option: str, env_name: str) -> None:
    assert getattr(resolve_connection({option: False}, {env_name: "1"}), option) is False


@pytest.mark.parametrize(
    "option, env_name",
    [pytest.param("tls", "DOCKER_TLS", id="tls"), pytest.param("validate_certs", "DOCKER_TLS_VERIFY", id="validate_certs")],
)
def test_parameter_bypasses_invalid_environment_boolean(option: str, env_name: str) -> None:
    assert getattr(resolve_connection({option: True}, {env_name: "garbage"}), option) is True


@pytest.mark.parametrize(
    "params, env",
    [
        pytest.param({"docker_host": "/var/run/docker.sock"}, {}, id="param-path"),
        pytest.param({"docker_host": "localhost:2375"}, {}, id="param-host-port"),
        pytest.param({}, {"DOCKER_HOST": "192.0.2.10:2376"}, id="env-host-port"),
    ],
)
def test_docker_host_without_scheme(params: t.Dict[str, t.Any], env: t.Dict[str, str]) -> None:
    with pytest.raises(OptionError) as exc_info:
        resolve_connection(params, env)
    message = str(exc_info.value)
    assert "docker_host" in message
    assert "scheme" in message


@pytest.mark.parametrize(
    "host",
    ["unix:///run/user/1000/docker.sock", "tcp://192.0.2.10:2376", "ssh://admin@192.0.2.10", "npipe:////./pipe/docker_engine"],
    ids=["unix", "tcp", "ssh", "npipe"],
)
def test_docker_host_with_scheme(host: str) -> None:
    assert resolve_connection({"docker_host": host}, {}).docker_host == host


@pytest.mark.parametrize(
    "params, env, fragment",
    [
        pytest.param({}, {"DOCKER_TIMEOUT": "ten"}, "'ten'", id="env-not-a-number"),
        pytest.param({}, {"DOCKER_TIMEOUT": "1.5"}, "'1.5'", id="env-fraction"),
        pytest.param({}, {"DOCKER_TIMEOUT": "0"}, "positive", id="env-zero"),
        pytest.param({"timeout": 0}, {}, "positive", id="param-zero"),
        pytest.param({"timeout": -3}, {}, "positive", id="param-negative"),
    ],
)
def test_bad_timeout(params: t.Dict[str, t.Any], env: t.Dict[str, str], fragment: str) -> None:
    with pytest.raises(OptionError) as exc_info:
        resolve_connection(params, env)
    assert "timeout" in str(exc_info.value)
    assert fragment in str(exc_info.value)


@pytest.mark.parametrize(
    "tls, validate_certs, expected",
    [
        pytest.param(False, False, False, id="neither"),
        pytest.param(True, False, True, id="tls-only"),
        pytest.param(False, True, True, id="verify-only"),
        pytest.param(True, True, True, id="both"),
    ],
)
def test_uses_tls(tls: bool, validate_certs: bool, expected: bool) -> None:
    assert resolve_connection({"tls": tls, "validate_certs": validate_certs}, {}).uses_tls is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("1.41", (1, 41), id="plain"),
        pytest.param(" 1.44 ", (1, 44), id="padded"),
        pytest.param("1.9", (1, 9), id="single-digit-minor"),
        pytest.param("2", (2,), id="major-only"),
        pytest.param("1.2.3", (1, 2, 3), id="three-parts"),
    ],
)
def test_parse_api_version(text: str, expected: t.Tuple[int, ...]) -> None:
    assert parse_api_version(text) == expected


@pytest.mark.parametrize("text", ["auto", "", "v1.41", "1.x", "1..41"], ids=["auto", "empty", "v-prefix", "letter", "double-dot"])
def test_parse_api_version_rejects(text: str) -> None:
    with pytest.raises(OptionError, match="api_version"):
        parse_api_version(text)


@pytest.mark.parametrize(
    "current, minimum, expected",
    [
        pytest.param("1.48", "1.48", True, id="equal"),
        pytest.param("1.49", "1.48", True, id="newer"),
        pytest.param("1.47", "1.48", False, id="older"),
        pytest.param("1.100", "1.48", True, id="numeric-not-lexical"),
        pytest.param("1.9", "1.41", False, id="single-digit-is-older"),
        pytest.param("2.0", "1.54", True, id="new-major"),
    ],
)
def test_api_at_least(current: str, minimum: str, expected: bool) -> None:
    assert api_at_least(current, minimum) is expected
