# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test-only filter: the key tree of a result, to compare a check-mode result's shape with a real run's."""

from __future__ import annotations

import typing as t
from collections.abc import Mapping


# Keys whose value counts as one leaf: maps of the user's or the engine's data (their keys are
# values, not structure: an engine adds its own options, IPAM driver options or labels), an endpoint's
# settings (a key only for what is set, and engines differ in which addresses a stopped container
# reports), and predictions that may rightly differ from the outcome (a MAC address the check expects
# to change but the daemon happened to give back: null or [] in the real run). The IPAM pools too
# (IPAM.Config): which keys a pool entry has depends on the engine (Podman reports a gateway for an
# internal network, Docker does not), and a network's Containers, keyed by container ID (Podman lists
# stopped members there, Docker running ones only).
OPAQUE = frozenset(
    {
        "Options", "Labels", "DriverOpts", "AuxiliaryAddresses", "Config", "Containers", "settings",
        "changed_mac_address", "changed_mac_addresses",
    }
)


def key_tree(value: t.Any, path: str = "") -> t.List[str]:
    """Every key path of a nested value, sorted: a.b for a dict's key, a[].b for a key of any item of list a.

    List items are merged, so a list of one entry and a list of three with the same keys have the
    same tree; values (and whether they are null) do not count.
    """
    paths: t.Set[str] = set()
    if isinstance(value, Mapping):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            paths.add(child)
            if key not in OPAQUE:
                paths.update(key_tree(item, child))
    elif isinstance(value, (list, tuple)):
        for item in value:
            paths.update(key_tree(item, f"{path}[]"))
    return sorted(paths)


class FilterModule:
    """The key_tree filter."""

    def filters(self) -> t.Dict[str, t.Callable[..., t.Any]]:
        return {"key_tree": key_tree}
