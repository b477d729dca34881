# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""What the network and the endpoint tables are made of: one Option per task option, and one comparison.
Below _network_spec and _endpoint, and free of Ansible, so both tables and their tests share it.
"""

from __future__ import annotations

import ipaddress
import typing as t
from dataclasses import dataclass

Spec = t.Dict[str, t.Dict[str, t.Any]]


@dataclass(frozen=True)
class Difference:
    field: str
    before: t.Any
    after: t.Any

    def describe(self) -> str:
        return f"{self.field}: {self.before!r} -> {self.after!r}"

    def as_dict(self) -> t.Dict[str, t.Any]:
        return {"field": self.field, "before": self.before, "after": self.after}


def compare_values(field: str, desired: t.Any, actual: t.Any) -> t.List[Difference]:
    """The one generic comparison: None in the desired state means "not given"."""
    if desired is None or desired == actual:
        return []
    return [Difference(field, actual, desired)]


@dataclass(frozen=True)
class Option:
    """One task option, declared once: how Ansible takes it and the Engine API key it maps to. api: the key's
    dotted path in the create/connect body and the inspect result ("" when not sent); min_api: its first API."""

    name: str
    type: str = "str"
    api: str = ""
    aliases: t.Tuple[str, ...] = ()
    elements: t.Optional[str] = None
    choices: t.Optional[t.Tuple[str, ...]] = None
    default: t.Any = None
    required: bool = False
    min_api: t.Optional[str] = None

    def argument_spec(self) -> t.Dict[str, t.Any]:
        given = {"aliases": list(self.aliases), "elements": self.elements, "choices": list(self.choices or ()),
                 "default": self.default, "required": self.required}
        return {"type": self.type, **{k: v for k, v in given.items() if v or (k == "default" and v is False)}}


def argument_spec(options: t.Iterable[Option]) -> Spec:
    """A fresh argument spec for the options (AnsibleModule mutates the one it is given)."""
    return {option.name: option.argument_spec() for option in options}


def dig(mapping: t.Optional[t.Mapping[str, t.Any]], path: str) -> t.Any:
    """The value at a dotted path of an API body or inspect result; None where a key is missing."""
    value: t.Any = mapping
    for key in path.split("."):
        if not isinstance(value, t.Mapping):
            return None
        value = value.get(key)
    return value


def put(body: t.Dict[str, t.Any], path: str, value: t.Any) -> None:
    """Set the value at a dotted path of an API body, making the mappings on the way."""
    *parents, last = path.split(".")
    for key in parents:
        body = body.setdefault(key, {})
    body[last] = value


def first_overlap(
    mine: t.Iterable[t.Tuple[str, t.Any]], theirs: t.Iterable[t.Tuple[str, t.Any]],
) -> t.Optional[t.Tuple[t.Any, t.Any, t.Any]]:
    """The first overlapping pair of same-family subnets: (mine, theirs, their owner); text not a CIDR is skipped."""
    def parsed(pairs: t.Iterable[t.Tuple[str, t.Any]]) -> t.List[t.Tuple[t.Any, t.Any]]:
        result = []
        for text, owner in pairs:
            try:
                result.append((ipaddress.ip_network(str(text), strict=False), owner))
            except ValueError:
                continue
        return result

    others = parsed(theirs)
    for subnet, _owner in parsed(mine):
        for other, owner in others:
            if subnet.version == other.version and subnet.overlaps(other):
                return subnet, other, owner
    return None
