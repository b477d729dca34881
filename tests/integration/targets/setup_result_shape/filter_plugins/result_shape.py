# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test-only filter: the key tree of a result, to compare a check-mode result's shape with a real run's."""

from __future__ import annotations

import typing as t
from collections.abc import Mapping


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
            paths.update(key_tree(item, child))
    elif isinstance(value, (list, tuple)):
        for item in value:
            paths.update(key_tree(item, f"{path}[]"))
    return sorted(paths)


def _under_items_only_in(paths: t.List[str], other: t.Set[str]) -> t.List[str]:
    """Paths of `paths` that lead through items of a list whose items `other` has none of (an empty list there)."""
    kept = []
    for path in paths:
        starts = [index for index in range(len(path)) if path.startswith("[]", index)]
        if all(any(o.startswith(path[: index + 2]) for o in other) for index in starts):
            kept.append(path)
    return kept


def comparable_key_trees(check: t.Any, real: t.Any) -> t.List[t.List[str]]:
    """The key trees of two results, without the item keys of a list that is empty in the other one.

    An empty list says nothing about the keys its items would have: a check-mode prediction that lists
    a container whose MAC address may change, while the real run changed none, has the same shape.
    """
    check_tree, real_tree = key_tree(check), key_tree(real)
    return [
        _under_items_only_in(check_tree, set(real_tree)),
        _under_items_only_in(real_tree, set(check_tree)),
    ]


class FilterModule:
    """The key_tree filter."""

    def filters(self) -> t.Dict[str, t.Callable[..., t.Any]]:
        return {"key_tree": key_tree, "comparable_key_trees": comparable_key_trees}
