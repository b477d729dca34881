# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for the prune selection: durations, timestamps, filters and which networks a prune removes."""

from __future__ import annotations

import datetime
import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._predefined import DEFAULT_BRIDGE_OPTION
from ansible_collections.dockernet.core.plugins.module_utils._prune import (
    LabelFilter,
    PruneFilters,
    parse_created,
    parse_duration,
    parse_prune_filters,
    parse_timestamp,
    prunable,
)
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError

UTC = datetime.timezone.utc
NOW = datetime.datetime(2024, 2, 1, 12, 0, 0, tzinfo=UTC)
LATEST = datetime.datetime.max.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    "text, seconds",
    [
        pytest.param("24h", 86400.0, id="hours"),
        pytest.param("1h30m", 5400.0, id="hours-and-minutes"),
        pytest.param("90s", 90.0, id="seconds"),
        pytest.param("1.5h", 5400.0, id="fraction"),
        pytest.param("500ms", 0.5, id="milliseconds"),
        pytest.param("2000us", 0.002, id="microseconds"),
        pytest.param("2000µs", 0.002, id="microseconds-mu"),
        pytest.param("5000000ns", 0.005, id="nanoseconds"),
        pytest.param(" 2m ", 120.0, id="surrounding-space"),
        pytest.param("", None, id="empty"),
        pytest.param("24", None, id="no-unit"),
        pytest.param("h", None, id="no-number"),
        pytest.param("-1h", None, id="negative"),
        pytest.param("1d", None, id="days-are-not-go"),
        pytest.param("1h 30m", None, id="inner-space"),
        pytest.param("2024-01-31", None, id="a-date"),
    ],
)
def test_parse_duration(text: str, seconds: t.Optional[float]) -> None:
    parsed = parse_duration(text)
    if seconds is None:
        assert parsed is None
    else:
        assert parsed == pytest.approx(seconds)


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("1700000000", datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC), id="unix-seconds"),
        pytest.param("1700000000.5", datetime.datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=UTC), id="unix-fraction"),
        pytest.param("0", datetime.datetime(1970, 1, 1, tzinfo=UTC), id="epoch"),
        pytest.param("2024-01-31T12:00:00Z", datetime.datetime(2024, 1, 31, 12, tzinfo=UTC), id="rfc3339-z"),
        pytest.param("2024-01-31", datetime.datetime(2024, 1, 31, tzinfo=UTC), id="date-only"),
        pytest.param("2024-01-31T12:30", datetime.datetime(2024, 1, 31, 12, 30, tzinfo=UTC), id="no-seconds"),
        pytest.param("2024-01-31 12:00:00", datetime.datetime(2024, 1, 31, 12, tzinfo=UTC), id="space-separator"),
        pytest.param("2024-01-31T12:00:00.123456789Z", datetime.datetime(2024, 1, 31, 12, 0, 0, 123456, tzinfo=UTC), id="nanoseconds"),
        pytest.param("2024-01-31T12:00:00+02:00", datetime.datetime(2024, 1, 31, 10, tzinfo=UTC), id="offset"),
        pytest.param("2024-01-31T12:00:00-0130", datetime.datetime(2024, 1, 31, 13, 30, tzinfo=UTC), id="offset-without-colon"),
        pytest.param("2024-13-01", None, id="no-such-month"),
        pytest.param("2024-01-31T25:00:00Z", None, id="no-such-hour"),
        pytest.param("yesterday", None, id="words"),
        pytest.param("", None, id="empty"),
        pytest.param("nan", None, id="nan"),
        pytest.param("inf", None, id="infinite"),
        pytest.param("1e20", None, id="out-of-range"),
    ],
)
def test_parse_timestamp(text: str, expected: t.Optional[datetime.datetime]) -> None:
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("2024-01-31T12:00:00.5+01:00", datetime.datetime(2024, 1, 31, 11, 0, 0, 500000, tzinfo=UTC), id="engine-format"),
        pytest.param("", LATEST, id="missing-is-newest"),
        pytest.param("not a time", LATEST, id="unreadable-is-newest"),
    ],
)
def test_parse_created(text: str, expected: datetime.datetime) -> None:
    # a network whose age cannot be read is never older than an until filter
    assert parse_created(text) == expected


@pytest.mark.parametrize(
    "label, labels, matches",
    [
        pytest.param(LabelFilter("tier", None), {"tier": "web"}, True, id="key-present"),
        pytest.param(LabelFilter("tier", None), {"other": "web"}, False, id="key-absent"),
        pytest.param(LabelFilter("tier", "web"), {"tier": "web"}, True, id="value-equal"),
        pytest.param(LabelFilter("tier", "web"), {"tier": "db"}, False, id="value-differs"),
        pytest.param(LabelFilter("tier", ""), {"tier": ""}, True, id="empty-value"),
        pytest.param(LabelFilter("tier", ""), {"tier": "web"}, False, id="empty-value-differs"),
    ],
)
def test_label_filter_matches(label: LabelFilter, labels: t.Dict[str, str], matches: bool) -> None:
    assert label.matches(labels) is matches


@pytest.mark.parametrize(
    "filters, expected",
    [
        pytest.param(None, PruneFilters(None, (), ()), id="none"),
        pytest.param({}, PruneFilters(None, (), ()), id="empty"),
        pytest.param({"until": "24h"}, PruneFilters(NOW - datetime.timedelta(hours=24), (), ()), id="until-duration"),
        pytest.param({"until": 1700000000}, PruneFilters(datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC), (), ()), id="until-unix-int"),
        pytest.param({"until": "2024-01-31T12:00:00Z"}, PruneFilters(datetime.datetime(2024, 1, 31, 12, tzinfo=UTC), (), ()), id="until-date"),
        pytest.param({"until": None}, PruneFilters(None, (), ()), id="until-null"),
        pytest.param({"label": "tier"}, PruneFilters(None, (LabelFilter("tier", None),), ()), id="label-key"),
        pytest.param(
            {"label": ["tier=web", "env"], "label!": "keep=yes"},
            PruneFilters(None, (LabelFilter("tier", "web"), LabelFilter("env", None)), (LabelFilter("keep", "yes"),)),
            id="labels-and-negations",
        ),
        pytest.param({"label": "a=b=c"}, PruneFilters(None, (LabelFilter("a", "b=c"),), ()), id="value-with-equals"),
    ],
)
def test_parse_prune_filters(filters: t.Optional[t.Dict[str, t.Any]], expected: PruneFilters) -> None:
    assert parse_prune_filters(filters, NOW) == expected


@pytest.mark.parametrize(
    "filters, field, fragments",
    [
        pytest.param({"dangling": True}, "filters.dangling", ["is not a prune filter", "until, label or label!"], id="unknown-filter"),
        pytest.param({"until": "bogus"}, "filters.until", ["'bogus' is neither a duration", "24h", "2024-01-31T12:00:00Z"], id="bad-until"),
        pytest.param({"until": "inf"}, "filters.until", ["'inf' is neither"], id="until-out-of-range"),
        pytest.param({"label": "=web"}, "filters.label", ["'=web' has no label key", "key=value"], id="label-without-key"),
        pytest.param({"label!": ["ok", "=x"]}, "filters.label!", ["'=x' has no label key"], id="negated-label-without-key"),
    ],
)
def test_parse_prune_filters_refuses(filters: t.Dict[str, t.Any], field: str, fragments: t.List[str]) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_prune_filters(filters, NOW)
    assert caught.value.field == field
    for fragment in fragments:
        assert fragment in caught.value.detail


def _net(name: str, **extra: t.Any) -> t.Dict[str, t.Any]:
    return {"Name": name, "Id": f"id-{name}", "Created": "2024-01-01T00:00:00Z", "Labels": {}, **extra}


def _names(networks: t.Sequence[t.Mapping[str, t.Any]]) -> t.List[str]:
    return [str(n["Name"]) for n in networks]


NO_FILTERS = PruneFilters(None, (), ())
NETWORKS = [
    _net("web", Labels={"tier": "web"}),
    _net("app", Labels={"tier": "app", "keep": "yes"}),
    _net("bridge"),
    _net("host"),
    _net("none"),
    _net("default"),
    _net("docker_gwbridge"),
    _net("podman"),
    _net("renamed-default", Options={DEFAULT_BRIDGE_OPTION: "true"}),
    _net("my-ingress", Ingress=True),
    _net("cfg", ConfigOnly=True),
    _net("from-cfg", ConfigFrom={"Network": "cfg"}),
    _net("fresh", Created="2024-02-01T11:00:00Z"),
    _net("busy"),
    _net("undated", Created=""),
]


@pytest.mark.parametrize(
    "filters, keep, expected",
    [
        pytest.param(NO_FILTERS, [], ["app", "fresh", "from-cfg", "undated", "web"], id="every-unused-user-network"),
        pytest.param(NO_FILTERS, ["web", "id-app"], ["fresh", "from-cfg", "undated"], id="keep-by-name-and-id"),
        pytest.param(PruneFilters(None, (LabelFilter("tier", None),), ()), [], ["app", "web"], id="label-key"),
        pytest.param(PruneFilters(None, (LabelFilter("tier", "web"),), ()), [], ["web"], id="label-value"),
        pytest.param(
            PruneFilters(None, (LabelFilter("tier", None), LabelFilter("keep", None)), ()), [], ["app"], id="every-label-must-match",
        ),
        pytest.param(PruneFilters(None, (), (LabelFilter("keep", "yes"),)), [], ["fresh", "from-cfg", "undated", "web"], id="negated-label"),
        pytest.param(
            PruneFilters(NOW - datetime.timedelta(hours=24), (), ()), [], ["app", "from-cfg", "web"], id="until-keeps-newer-and-undated",
        ),
    ],
)
def test_prunable(filters: PruneFilters, keep: t.List[str], expected: t.List[str]) -> None:
    # every pre-defined name is kept whatever the engine, and so is a config-only network another one uses
    selected = prunable(NETWORKS, filters, keep, lambda network: network["Name"] == "busy")
    assert _names(selected) == expected


def test_prunable_asks_in_use_only_for_candidates() -> None:
    asked: t.List[str] = []

    def in_use(network: t.Mapping[str, t.Any]) -> bool:
        asked.append(str(network["Name"]))
        return False

    prunable(NETWORKS, PruneFilters(None, (LabelFilter("tier", None),), ()), [], in_use)
    assert sorted(asked) == ["app", "web"]
