# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""Per-host address ranges of one macvlan (or ipvlan) network shared by several Docker hosts on a LAN.

Every host's Docker IPAM hands out addresses only from its own ``ip_range``; two hosts given
overlapping ranges hand out the same address to different containers on the same LAN. A host's
range is either given (``ip_range``) or the ``index``-th block of ``prefix`` bits in the pool, so a
host's range depends on its own settings only: adding or removing a host never moves another one.

Pure functions on plain values (no Ansible imports), used by the filter plugin
``dockernet.core.macvlan_lan_ranges``.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import typing as t

IPv4Net = ipaddress.IPv4Network


class LanRangeError(ValueError):
    """The LAN settings themselves (subnet, pool, prefix) are unusable."""


@dataclasses.dataclass(frozen=True)
class Claim:
    """What one host asks for: a range (given, or by index) and the static addresses it uses."""

    host: str
    index: t.Optional[int]
    ip_range: str
    # name of what uses the address (a container, the host shim) -> address
    addresses: t.Mapping[str, str]


@dataclasses.dataclass(frozen=True)
class LanPlan:
    ranges: t.Dict[str, str]
    errors: t.List[str]

    def as_dict(self) -> t.Dict[str, t.Any]:
        return {"ranges": self.ranges, "errors": self.errors}


def network(value: str, what: str) -> IPv4Net:
    try:
        return ipaddress.IPv4Network(str(value).strip(), strict=True)
    except ValueError as exc:
        raise LanRangeError(f"{what} {value!r} is not an IPv4 network in CIDR notation ({exc})") from exc


def block(pool: IPv4Net, prefix: int, index: int) -> IPv4Net:
    """The index-th block of /prefix in the pool (index counts from 0)."""
    size = 1 << (32 - prefix)
    return ipaddress.IPv4Network((int(pool.network_address) + index * size, prefix))


def block_count(pool: IPv4Net, prefix: int) -> int:
    return 1 << (prefix - pool.prefixlen)


def claim_from(host: str, raw: t.Mapping[str, t.Any]) -> Claim:
    """A Claim from the plain dict the role publishes per host (index -1 or None means none)."""
    index = raw.get("index")
    if index in (None, ""):
        index = None
    else:
        try:
            index = int(index)
        except (TypeError, ValueError) as exc:
            raise LanRangeError(f"host {host}: index {index!r} is not an integer") from exc
        if index < 0:
            index = None
    addresses = raw.get("addresses") or {}
    if not isinstance(addresses, t.Mapping):
        raise LanRangeError(f"host {host}: addresses must be a dict of name -> address, got {type(addresses).__name__}")
    return Claim(host=str(host), index=index, ip_range=str(raw.get("ip_range") or ""), addresses={str(k): str(v) for k, v in addresses.items() if v})


def _range_of(claim: Claim, subnet: IPv4Net, pool: IPv4Net, prefix: int, errors: t.List[str]) -> t.Optional[IPv4Net]:
    if claim.ip_range:
        try:
            given = ipaddress.IPv4Network(claim.ip_range.strip(), strict=True)
        except ValueError as exc:
            errors.append(f"host {claim.host}: ip_range {claim.ip_range!r} is not an IPv4 network in CIDR notation ({exc})")
            return None
        if not given.subnet_of(subnet):
            errors.append(f"host {claim.host}: ip_range {given} is outside the subnet {subnet}; give a range inside the pool {pool}")
            return None
        if not given.subnet_of(pool):
            errors.append(f"host {claim.host}: ip_range {given} is outside the pool {pool}; give a range inside it")
            return None
        return given
    if claim.index is None:
        errors.append(f"host {claim.host}: has neither an ip_range nor an index; give it a unique index from 0 to {block_count(pool, prefix) - 1}")
        return None
    if claim.index >= block_count(pool, prefix):
        errors.append(
            f"host {claim.host}: index {claim.index} is outside the pool {pool}, which holds {block_count(pool, prefix)} ranges of /{prefix} "
            f"(indexes 0 to {block_count(pool, prefix) - 1}); give a smaller index, a larger pool or a longer prefix"
        )
        return None
    return block(pool, prefix, claim.index)


def plan(claims: t.Sequence[Claim], subnet: str, pool: str = "", prefix: int = 28) -> LanPlan:
    """Each host's range, and every problem found across the hosts (empty when the plan is safe).

    Problems: two hosts with the same index, overlapping ranges, a range outside the pool or the subnet,
    a static address outside the subnet, inside another host's range, or used by two hosts.
    """
    lan = network(subnet, "subnet")
    pool_net = network(pool, "pool") if pool else lan
    if not pool_net.subnet_of(lan):
        raise LanRangeError(f"pool {pool_net} is outside the subnet {lan}; give a pool inside it")
    try:
        prefix = int(prefix)
    except (TypeError, ValueError) as exc:
        raise LanRangeError(f"prefix {prefix!r} is not an integer") from exc
    if not pool_net.prefixlen <= prefix <= 32:
        raise LanRangeError(f"prefix /{prefix} must be from /{pool_net.prefixlen} (the pool {pool_net}) to /32")

    errors: t.List[str] = []
    ordered = sorted(claims, key=lambda c: c.host)
    by_index: t.Dict[int, t.List[str]] = {}
    for claim in ordered:
        if claim.index is not None and not claim.ip_range:
            by_index.setdefault(claim.index, []).append(claim.host)
    for index, hosts in sorted(by_index.items()):
        if len(hosts) > 1:
            errors.append(f"hosts {', '.join(hosts)} claim the same index {index}; give each host its own index")

    ranges: t.Dict[str, IPv4Net] = {}
    for claim in ordered:
        found = _range_of(claim, lan, pool_net, prefix, errors)
        if found is not None:
            ranges[claim.host] = found

    hosts = sorted(ranges)
    for pos, host in enumerate(hosts):
        for other in hosts[pos + 1 :]:
            if ranges[host].overlaps(ranges[other]) and not _same_index(ordered, host, other):
                errors.append(f"host {host}'s range {ranges[host]} overlaps host {other}'s range {ranges[other]}; give them ranges apart")

    errors.extend(_address_errors(ordered, lan, ranges))
    return LanPlan(ranges={host: str(found) for host, found in ranges.items()}, errors=errors)


def _same_index(claims: t.Sequence[Claim], host: str, other: str) -> bool:
    """Two hosts with one index are already reported as such, not again as an overlap."""
    index = {c.host: c.index for c in claims if not c.ip_range}
    return index.get(host) is not None and index.get(host) == index.get(other)


def _address_errors(claims: t.Sequence[Claim], lan: IPv4Net, ranges: t.Mapping[str, IPv4Net]) -> t.List[str]:
    errors: t.List[str] = []
    users: t.Dict[ipaddress.IPv4Address, t.List[str]] = {}
    for claim in claims:
        own = ranges.get(claim.host)
        for name, value in sorted(claim.addresses.items()):
            try:
                address = ipaddress.IPv4Address(value.split("/")[0].strip())
            except ValueError:
                errors.append(f"host {claim.host}: {name} has the address {value!r}, which is not an IPv4 address")
                continue
            users.setdefault(address, []).append(f"{name} on host {claim.host}")
            if address not in lan:
                errors.append(f"host {claim.host}: {name} has the address {address}, outside the subnet {lan}")
                continue
            for other, other_range in sorted(ranges.items()):
                if other != claim.host and address in other_range:
                    fix = f"an address in its own range {own}" if own is not None else "an address of its own range"
                    errors.append(
                        f"host {claim.host}: {name} has the static address {address}, inside host {other}'s range {other_range}, "
                        f"where {other}'s Docker may hand it to another container; give it {fix} or one outside every host's range"
                    )
    for address, names in sorted(users.items()):
        if len(names) > 1:
            errors.append(f"address {address} is used by {' and '.join(names)}; give each its own address")
    return errors
