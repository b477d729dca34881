# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Pure comparison of a desired and an actual network, and the Engine API create body."""

from __future__ import annotations

import typing as t
from dataclasses import replace

from ansible_collections.dockernet.core.plugins.module_utils._compare import Difference, compare_values
from ansible_collections.dockernet.core.plugins.module_utils._network_spec import (
    DAEMON_DRIVER_OPTIONS,
    ENGINE_IPAM_OPTIONS,
    NetworkState,
    Pool,
    spelled_as_asked,
)


def _without(mapping: t.Optional[t.Mapping[str, str]], ignored: t.Mapping[str, str] | t.AbstractSet[str], given: t.Mapping[str, str]) -> t.Dict[str, str]:
    """Drop keys the engine adds by itself, unless the task names them."""
    result = {}
    for key, value in (mapping or {}).items():
        if key in ignored and key not in given:
            if isinstance(ignored, t.Mapping) and ignored[key] != value:
                result[key] = value
            continue
        result[key] = value
    return result


def compare_labels(desired: t.Optional[t.Mapping[str, str]], actual: t.Optional[t.Mapping[str, str]], purge: bool) -> t.List[Difference]:
    if desired is None:
        return []
    actual = dict(actual or {})
    if purge:
        return compare_values("labels", dict(desired), actual)
    wanted = {**actual, **desired}
    return compare_values("labels", wanted, actual)


def compare_pools(desired: t.Optional[t.Sequence[Pool]], actual: t.Sequence[Pool]) -> t.List[Difference]:
    """Pools are matched by subnet, not position; a key the task leaves out is the daemon's choice."""
    if desired is None:
        return []
    # The daemon adds a pool of its own for an IP family the task gives none for (an IPv4 pool
    # before API 1.48, an IPv6 pool on newer engines): that pool is its choice, not a difference.
    families = {p.version for p in desired}
    actual_by_subnet = {p.subnet: p for p in actual if p.version in families}
    desired_subnets = sorted(p.subnet for p in desired)
    differences = compare_values("ipam_config.subnets", desired_subnets, sorted(actual_by_subnet))
    for pool in desired:
        old = actual_by_subnet.get(pool.subnet)
        if old is None:
            continue
        prefix = f"ipam_config[{pool.subnet}]"
        differences += compare_values(f"{prefix}.ip_range", pool.ip_range, old.ip_range)
        differences += compare_values(f"{prefix}.gateway", pool.gateway, old.gateway)
        differences += compare_values(f"{prefix}.aux_addresses", pool.aux_addresses, old.aux_addresses or {})
    return differences


def network_differences(desired: NetworkState, actual: NetworkState) -> t.List[Difference]:
    """Every way the actual network differs from the desired one. Docker changes none of these in place."""
    differences: t.List[Difference] = []
    differences += compare_values("driver", desired.driver, actual.driver)
    if desired.driver_options is not None:
        differences += compare_values(
            "driver_options", desired.driver_options,
            _without(spelled_as_asked(actual.driver_options or {}, desired.driver_options), DAEMON_DRIVER_OPTIONS, desired.driver_options),
        )
    differences += compare_values("ipam_driver", desired.ipam_driver, actual.ipam_driver)
    if desired.ipam_options is not None:
        differences += compare_values(
            "ipam_options", desired.ipam_options, _without(actual.ipam_options, ENGINE_IPAM_OPTIONS, desired.ipam_options)
        )
    differences += compare_pools(desired.ipam_config, actual.ipam_config or ())
    for key in ("enable_ipv6", "enable_ipv4", "internal", "attachable", "ingress", "scope", "config_only", "config_from"):
        differences += compare_values(key, getattr(desired, key), getattr(actual, key))
    differences += compare_labels(desired.labels, actual.labels, desired.purge_labels)
    return differences


def pool_config(pool: Pool) -> t.Dict[str, t.Any]:
    """One IPAM.Config item, as a create sends it and the daemon reports it: keys not set left out."""
    config: t.Dict[str, t.Any] = {"Subnet": pool.subnet}
    if pool.ip_range:
        config["IPRange"] = pool.ip_range
    if pool.gateway:
        config["Gateway"] = pool.gateway
    if pool.aux_addresses:
        config["AuxiliaryAddresses"] = dict(sorted(pool.aux_addresses.items()))
    return config


def create_body(desired: NetworkState) -> t.Dict[str, t.Any]:
    """The POST /networks/create body. Booleans given as false are sent as an explicit false."""
    body: t.Dict[str, t.Any] = {"Name": desired.name, "CheckDuplicate": True}
    if desired.driver is not None:
        body["Driver"] = desired.driver
    if desired.config_from is not None:
        # The daemon refuses IPAM, driver options and IP families next to ConfigFrom: they come from there.
        desired = replace(desired, driver_options=None, ipam_driver=None, ipam_options=None, ipam_config=None,
                          enable_ipv6=None, enable_ipv4=None)
    if desired.driver_options:
        body["Options"] = dict(desired.driver_options)
    if desired.ipam_driver is not None or desired.ipam_options or desired.ipam_config:
        ipam: t.Dict[str, t.Any] = {"Driver": desired.ipam_driver or "default"}
        if desired.ipam_options:
            ipam["Options"] = dict(desired.ipam_options)
        ipam["Config"] = [pool_config(pool) for pool in desired.ipam_config or ()]
        body["IPAM"] = ipam
    for key, api_key in (
        ("enable_ipv6", "EnableIPv6"), ("internal", "Internal"),
        ("attachable", "Attachable"), ("ingress", "Ingress"), ("config_only", "ConfigOnly"),
    ):
        value = getattr(desired, key)
        if value is not None:
            body[api_key] = bool(value)
    if desired.enable_ipv4 is False:
        # IPv4 is on by default; the field is only sent to turn it off (API 1.48 and newer).
        body["EnableIPv4"] = False
    if desired.scope is not None and not (desired.config_only and desired.scope == "local"):
        # A config-only network refuses any Scope, even the default one a recreate carries over.
        body["Scope"] = desired.scope
    if desired.config_from is not None:
        body["ConfigFrom"] = {"Network": desired.config_from}
    if desired.labels:
        body["Labels"] = dict(desired.labels)
    return body


# Options newer than the oldest Engine API this collection speaks, with the version they need.
API_REQUIREMENTS = {"enable_ipv4": "1.48"}


def required_api_versions(desired: NetworkState) -> t.List[t.Tuple[str, str]]:
    """Options the task gives that need a newer API. enable_ipv4: true is what every daemon does anyway."""
    return [
        (option, version) for option, version in API_REQUIREMENTS.items()
        if getattr(desired, option) is not None and not (option == "enable_ipv4" and desired.enable_ipv4)
    ]
