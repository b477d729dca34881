# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for the shared validation helpers."""

from __future__ import annotations

import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._validation import (
    ValidationError,
    normalise_address,
    normalise_network_text,
    option_string,
    parse_address,
    parse_network,
    string_dict,
)


def test_validation_error_names_the_field() -> None:
    error = ValidationError("ipam_config[0].subnet", "is wrong", {"changed": False})
    assert str(error) == "ipam_config[0].subnet: is wrong"
    assert error.field == "ipam_config[0].subnet"
    assert error.result == {"changed": False}
    assert ValidationError("name", "is wrong").result == {}


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("10.10.0.0/24", "10.10.0.0/24", id="ipv4"),
        pytest.param(" 10.10.0.0/24 ", "10.10.0.0/24", id="ipv4-padded"),
        pytest.param("10.10.0.5/32", "10.10.0.5/32", id="ipv4-host-route"),
        pytest.param("fd00::/64", "fd00::/64", id="ipv6-short"),
        pytest.param("fd00:0:0::/64", "fd00::/64", id="ipv6-zeros"),
        pytest.param("fd00:0000:0000:0000::/64", "fd00::/64", id="ipv6-long-zeros"),
        pytest.param("FD00::/64", "fd00::/64", id="ipv6-upper"),
        pytest.param("fd00:0:0:0:0:0:0:0/64", "fd00::/64", id="ipv6-full"),
    ],
)
def test_parse_network_accepts(value: str, expected: str) -> None:
    assert str(parse_network("subnet", value)) == expected


@pytest.mark.parametrize(
    "value, fragment",
    [
        pytest.param("10.10.0.0", "is not a CIDR", id="no-prefix"),
        pytest.param("fd00::", "is not a CIDR", id="ipv6-no-prefix"),
        pytest.param("10.10.0.0/33", "is not a valid CIDR", id="prefix-too-long"),
        pytest.param("10.10.0/24", "is not a valid CIDR", id="short-address"),
        pytest.param("subnet/24", "is not a valid CIDR", id="word"),
        pytest.param("fd00::/129", "is not a valid CIDR", id="ipv6-prefix-too-long"),
        pytest.param("10.10.0.0/abc", "is not a valid CIDR", id="prefix-word"),
    ],
)
def test_parse_network_rejects_malformed(value: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        parse_network("ipam_config[0].subnet", value)
    assert exc_info.value.field == "ipam_config[0].subnet"
    assert fragment in str(exc_info.value)
    assert repr(value) in str(exc_info.value)


@pytest.mark.parametrize(
    "value, network_address",
    [
        pytest.param("10.10.0.1/24", "10.10.0.0/24", id="ipv4"),
        pytest.param("172.20.5.9/16", "172.20.0.0/16", id="ipv4-16"),
        pytest.param("fd00::1/64", "fd00::/64", id="ipv6"),
        pytest.param("fd00:0:0:0:1::/64", "fd00::/64", id="ipv6-zeros"),
    ],
)
def test_parse_network_host_bits_name_the_network_address(value: str, network_address: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        parse_network("subnet", value)
    assert "host bits set" in str(exc_info.value)
    assert str(exc_info.value).endswith(network_address)


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("10.10.0.5", "10.10.0.5", id="ipv4"),
        pytest.param(" 10.10.0.5 ", "10.10.0.5", id="ipv4-padded"),
        pytest.param("10.10.0.5/24", "10.10.0.5", id="ipv4-with-prefix"),
        pytest.param("fd00::5", "fd00::5", id="ipv6"),
        pytest.param("fd00:0:0::5", "fd00::5", id="ipv6-zeros"),
        pytest.param("FD00::5/64", "fd00::5", id="ipv6-upper-with-prefix"),
    ],
)
def test_parse_address_accepts(value: str, expected: str) -> None:
    assert str(parse_address("gateway", value)) == expected


@pytest.mark.parametrize(
    "value",
    ["10.10.0.256", "10.10.0", "gateway", "fd00::5::1", "", "/24"],
    ids=["octet-too-big", "short", "word", "double-colon-twice", "empty", "prefix-only"],
)
def test_parse_address_rejects(value: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        parse_address("ipam_config[0].gateway", value)
    assert exc_info.value.field == "ipam_config[0].gateway"
    assert "is not a valid IP address" in str(exc_info.value)


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param(None, None, id="none"),
        pytest.param("", None, id="empty"),
        pytest.param("10.10.0.1", "10.10.0.1", id="ipv4"),
        pytest.param("10.10.0.1/24", "10.10.0.1", id="ipv4-with-prefix"),
        pytest.param("fd00:0:0::1/64", "fd00::1", id="ipv6-with-prefix"),
    ],
)
def test_normalise_address(value: t.Optional[str], expected: t.Optional[str]) -> None:
    assert normalise_address(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param(None, None, id="none"),
        pytest.param("", None, id="empty"),
        pytest.param("10.10.0.0/24", "10.10.0.0/24", id="ipv4"),
        pytest.param("10.10.0.7/24", "10.10.0.0/24", id="ipv4-host-bits"),
        pytest.param("fd00:0:0::/64", "fd00::/64", id="ipv6"),
        pytest.param("not-a-network", "not-a-network", id="unparseable-kept"),
    ],
)
def test_normalise_network_text(value: t.Optional[str], expected: t.Optional[str]) -> None:
    assert normalise_network_text(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param(True, "true", id="true"),
        pytest.param(False, "false", id="false"),
        pytest.param(1400, "1400", id="int"),
        pytest.param(0, "0", id="zero"),
        pytest.param(1.5, "1.5", id="float"),
        pytest.param("br-test", "br-test", id="string"),
        pytest.param("", "", id="empty-string"),
    ],
)
def test_option_string(value: t.Any, expected: str) -> None:
    assert option_string(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param({}, {}, id="empty"),
        pytest.param({"a": True, "b": False}, {"a": "true", "b": "false"}, id="bools"),
        pytest.param({"com.docker.network.driver.mtu": 1400}, {"com.docker.network.driver.mtu": "1400"}, id="int"),
        pytest.param({"x": "y", "empty": ""}, {"x": "y", "empty": ""}, id="strings"),
        pytest.param({1: "one"}, {"1": "one"}, id="key-to-string"),
    ],
)
def test_string_dict(value: t.Dict[t.Any, t.Any], expected: t.Dict[str, str]) -> None:
    assert string_dict("labels", value) == expected


@pytest.mark.parametrize(
    "value, field, fragment",
    [
        pytest.param({"owner": None}, "labels.owner", "has no value", id="none-value"),
        pytest.param({"owner": {"name": "x"}}, "labels.owner", "is not a scalar", id="dict-value"),
        pytest.param({"owner": ["x"]}, "labels.owner", "is not a scalar", id="list-value"),
    ],
)
def test_string_dict_rejects(value: t.Dict[str, t.Any], field: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        string_dict("labels", value)
    assert exc_info.value.field == field
    assert str(exc_info.value).startswith(field + ":")
    assert fragment in str(exc_info.value)
