# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""Shared validation helpers: one error type whose message names field, value and fix."""

from __future__ import annotations

import ipaddress
import typing as t

IPNetwork = t.Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
IPAddress = t.Union[ipaddress.IPv4Address, ipaddress.IPv6Address]


class ValidationError(ValueError):
    """Bad input, detected before anything is sent to the daemon."""

    def __init__(self, field: str, message: str, result: t.Optional[t.Dict[str, t.Any]] = None) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.detail = message
        self.result = result or {}

    def within(self, prefix: str) -> "ValidationError":
        """The same error, for an item of a list: prefix names the item, as in networks[2]."""
        return ValidationError(f"{prefix}.{self.field}", self.detail, self.result)


def parse_network(field: str, value: t.Any) -> IPNetwork:
    text = str(value).strip()
    if "/" not in text:
        raise ValidationError(field, f"{value!r} is not a CIDR; write it with a prefix length, for example 10.10.0.0/24 or fd00:10::/64")
    try:
        loose = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise ValidationError(field, f"{value!r} is not a valid CIDR; write it like 10.10.0.0/24 or fd00:10::/64") from None
    if ipaddress.ip_interface(text).ip != loose.network_address:
        raise ValidationError(field, f"{value!r} has host bits set; the network address is {loose}")
    return loose


def parse_address(field: str, value: t.Any) -> IPAddress:
    try:
        # Docker reports some addresses (endpoints, gateways on some drivers) with a prefix.
        return ipaddress.ip_address(str(value).strip().split("/", 1)[0])
    except ValueError:
        raise ValidationError(field, f"{value!r} is not a valid IP address; write it like 10.10.0.5 or fd00:10::5") from None


def normalise_address(value: t.Optional[str]) -> t.Optional[str]:
    """Canonical spelling of an address from the daemon; None when empty, the text itself when unparseable."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(str(value).split("/", 1)[0]))
    except ValueError:
        return str(value)


def normalise_network_text(value: t.Optional[str]) -> t.Optional[str]:
    if not value:
        return None
    try:
        return str(ipaddress.ip_network(str(value), strict=False))
    except ValueError:
        return str(value)


def option_string(value: t.Any) -> str:
    """What the daemon stores for a driver option or label value."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def string_dict(field: str, value: t.Optional[t.Mapping[str, t.Any]]) -> t.Dict[str, str]:
    result: t.Dict[str, str] = {}
    for key, item in (value or {}).items():
        if item is None:
            raise ValidationError(f"{field}.{key}", "has no value; give a string (use an empty string '' for an empty value)")
        if isinstance(item, (dict, list)):
            raise ValidationError(f"{field}.{key}", f"{item!r} is not a scalar; values must be strings, numbers or booleans")
        result[str(key)] = option_string(item)
    return result
