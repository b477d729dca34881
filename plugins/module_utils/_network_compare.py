# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""Pure comparison of a desired and an actual network, and the Engine API create body, both derived from NETWORK_FIELDS."""

from __future__ import annotations

import typing as t

from ansible_collections.dockernet.core.plugins.module_utils._compare import Difference, compare_values, put
from ansible_collections.dockernet.core.plugins.module_utils._network_spec import (
    NETWORK_FIELDS,
    POOL_KEYS,
    NetworkField,
    NetworkState,
    Pool,
)


def compare_pools(desired: t.Optional[t.Sequence[Pool]], actual: t.Sequence[Pool]) -> t.List[Difference]:
    """Pools are matched by subnet, not position; a key the task leaves out is the daemon's choice."""
    if desired is None:
        return []
    # The daemon adds a pool of its own for an IP family the task gives none for (an IPv4 pool
    # before API 1.48, an IPv6 pool on newer engines): that pool is its choice, not a difference.
    families = {p.version for p in desired}
    actual_by_subnet = {p.subnet: p for p in actual if p.version in families}
    differences = compare_values("ipam_config.subnets", sorted(p.subnet for p in desired), sorted(actual_by_subnet))
    for pool in desired:
        old = actual_by_subnet.get(pool.subnet)
        if old is None:
            continue
        for key, _api_key in POOL_KEYS[1:]:
            before = getattr(old, key)
            differences += compare_values(f"ipam_config[{pool.subnet}].{key}", getattr(pool, key), {} if key == "aux_addresses" and before is None else before)
    return differences


def _compared(field: NetworkField, desired: NetworkState, actual: NetworkState) -> t.List[Difference]:
    wanted, actual_value = getattr(desired, field.name), getattr(actual, field.name)
    if field.compare == "pools":
        return compare_pools(wanted, actual_value or ())
    if field.compare == "asked" and wanted is not None:
        actual_value = field.without_engine_added(field.spelled_as_asked(actual_value or {}, wanted), wanted)
    elif field.compare == "merge" and wanted is not None:
        # Given keys only; all of them with purge_labels.
        actual_value = dict(actual_value or {})
        wanted = dict(wanted) if desired.purge_labels else {**actual_value, **wanted}
    return compare_values(field.name, wanted, actual_value) if field.compare else []


def network_differences(desired: NetworkState, actual: NetworkState) -> t.List[Difference]:
    """Every way the actual network differs from the desired one. Docker changes none of these in place."""
    return [difference for field in NETWORK_FIELDS for difference in _compared(field, desired, actual)]


def pool_config(pool: Pool) -> t.Dict[str, t.Any]:
    """One IPAM.Config item, as a create sends it and the daemon reports it: keys not set left out."""
    return pool.as_dict(api=True)


def _sent(field: NetworkField, value: t.Any) -> bool:
    """Whether a create sends the value: an empty dict or list is the daemon's default anyway, and a
    field newer than the oldest API is sent only to change what every daemon does (older ones refuse the key)."""
    if value is None or (field.option.type in ("dict", "list") and not value):
        return False
    return field.option.min_api is None or value != field.missing


def create_body(desired: NetworkState) -> t.Dict[str, t.Any]:
    """The POST /networks/create body. Booleans given as false are sent as an explicit false."""
    body: t.Dict[str, t.Any] = {"CheckDuplicate": True}
    for field in NETWORK_FIELDS:
        value = getattr(desired, field.name)
        # The daemon refuses IPAM, driver options and IP families next to ConfigFrom: they come from there.
        if _sent(field, value) and not (field.from_config and desired.config_from is not None):
            put(body, field.option.api, [pool_config(p) for p in value] if field.option.type == "list" else value)
    if "IPAM" in body:
        body["IPAM"] = {"Driver": "default", "Config": [], **body["IPAM"]}
    if desired.config_only and body.get("Scope") == "local":
        del body["Scope"]  # a config-only network refuses any Scope, even the default one a recreate carries over
    return body


def required_api_versions(desired: NetworkState) -> t.List[t.Tuple[str, str]]:
    """Options the task gives that need a newer API. What every daemon does anyway (enable_ipv4: true) needs none."""
    return [
        (field.name, field.option.min_api) for field in NETWORK_FIELDS
        if field.option.min_api is not None and getattr(desired, field.name) not in (None, field.missing)
    ]
