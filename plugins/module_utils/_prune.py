# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""Which networks a prune removes, decided once so that check mode and a real run agree exactly.

As `docker network prune`: user-defined networks with no endpoints and no swarm services, matching every filter.
"""

from __future__ import annotations

import datetime
import re
import typing as t

from ansible_collections.dockernet.core.plugins.module_utils._predefined import predefined_entry
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


class LabelFilter(t.NamedTuple):
    key: str
    value: t.Optional[str]

    def matches(self, labels: t.Mapping[str, str]) -> bool:
        return self.key in labels and (self.value is None or labels[self.key] == self.value)


class PruneFilters(t.NamedTuple):
    until: t.Optional[datetime.datetime]
    labels: t.Tuple[LabelFilter, ...]
    not_labels: t.Tuple[LabelFilter, ...]


def parse_duration(text: str) -> t.Optional[float]:
    """Go-style durations as the CLI takes them (24h, 1h30m, 90s); None when it is not one."""
    text = text.strip()
    if not text or _DURATION_PART.sub("", text) != "":
        return None
    return sum(float(n) * _UNIT_SECONDS[unit] for n, unit in _DURATION_PART.findall(text))


def parse_timestamp(text: str) -> t.Optional[datetime.datetime]:
    """A unix timestamp or an RFC 3339 date/time (nanoseconds allowed); None when it is neither."""
    text = text.strip()
    try:
        return datetime.datetime.fromtimestamp(float(text), tz=datetime.timezone.utc)
    except (ValueError, OverflowError, OSError):  # not a number, or one out of the platform's range (inf, 1e20)
        pass
    match = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2})?(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$", text)
    if not match:
        return None
    date, minutes, seconds, fraction, zone = match.groups()
    micro = (fraction or ".0")[1:7].ljust(6, "0")
    zone = "+00:00" if zone in (None, "Z") else (zone if ":" in zone else zone[:3] + ":" + zone[3:])
    try:
        return datetime.datetime.fromisoformat(f"{date}T{minutes or '00:00'}{seconds or ':00'}.{micro}{zone}")
    except ValueError:
        return None


def parse_created(text: str) -> datetime.datetime:
    parsed = parse_timestamp(text)
    return parsed if parsed is not None else datetime.datetime.max.replace(tzinfo=datetime.timezone.utc)


def _label_filters(field: str, values: t.Any) -> t.Tuple[LabelFilter, ...]:
    result = []
    for text in [str(item) for item in ([] if values is None else values if isinstance(values, list) else [values])]:
        key, sep, value = text.partition("=")
        if not key:
            raise ValidationError(field, f"{text!r} has no label key; write key or key=value")
        result.append(LabelFilter(key, value if sep else None))
    return tuple(result)


def parse_prune_filters(filters: t.Optional[t.Mapping[str, t.Any]], now: datetime.datetime) -> PruneFilters:
    filters = dict(filters or {})
    unknown = sorted(set(filters) - {"until", "label", "label!"})
    if unknown:
        raise ValidationError(f"filters.{unknown[0]}", "is not a prune filter; use until, label or label!")
    until = None
    if filters.get("until") is not None:
        text = str(filters["until"])
        seconds = parse_duration(text)
        until = now - datetime.timedelta(seconds=seconds) if seconds is not None else parse_timestamp(text)
        if until is None:
            raise ValidationError("filters.until", f"{text!r} is neither a duration (24h, 90m) nor a timestamp (unix seconds or 2024-01-31T12:00:00Z)")
    return PruneFilters(until, _label_filters("filters.label", filters.get("label")), _label_filters("filters.label!", filters.get("label!")))


def prunable(
    networks: t.Sequence[t.Mapping[str, t.Any]], filters: PruneFilters, keep: t.Collection[str],
    in_use: t.Callable[[t.Mapping[str, t.Any]], bool],
) -> t.List[t.Mapping[str, t.Any]]:
    """The networks a prune removes, sorted by name. in_use tells whether one has endpoints or services."""
    config_sources = {str((n.get("ConfigFrom") or {}).get("Network")) for n in networks} - {"", "None"}
    selected = []
    for network in networks:
        name = str(network.get("Name"))
        if predefined_entry(network) is not None or name in keep or network.get("Id") in keep:
            continue  # every name the daemon may own, whatever engine this is: prune never asks
        if name in config_sources:
            continue  # a config-only network another network still takes its settings from
        labels = {str(k): str(v) for k, v in (network.get("Labels") or {}).items()}
        if not all(f.matches(labels) for f in filters.labels) or any(f.matches(labels) for f in filters.not_labels):
            continue
        old_enough = filters.until is None or parse_created(str(network.get("Created", ""))) < filters.until
        if old_enough and not in_use(network):  # in_use last: it costs requests
            selected.append(network)
    return sorted(selected, key=lambda n: str(n.get("Name")))
