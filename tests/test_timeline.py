"""The timeline: order, --from/--to, --actor, --type, JSON fields, unknown names."""

from __future__ import annotations

import pytest

from kg.errors import NotFound, UsageError

FIELDS = (
    "id",
    "label",
    "type",
    "edtf",
    "earliest_begin",
    "latest_begin",
    "earliest_end",
    "latest_end",
    "actors",
    "sources",
)


# ----------------------------------------------------------------------------- exact, on the mini fixture


def test_mini_timeline_exactly(mini):
    events = mini.timeline()
    assert [e["id"] for e in events] == ["nsl-takes-effect", "closure-announcement"]
    nsl, closure = events
    assert {k: nsl[k] for k in FIELDS} == {
        "id": "nsl-takes-effect",
        "label": "National security law takes effect in Hong Kong",
        "type": "entry into force",
        "edtf": "2020-06",
        "earliest_begin": "2020-06-01",
        "latest_begin": "2020-06-30",
        "earliest_end": "2020-06-01",
        "latest_end": "2020-06-30",
        "actors": ["Amnesty International"],
        "sources": ["amnesty-closing-article"],
    }
    assert closure["edtf"] == "2021-10-25"
    assert closure["earliest_begin"] == closure["latest_begin"] == closure["latest_end"] == "2021-10-25"
    assert closure["actors"] == ["Agnes Callamard", "Amnesty International"]
    assert {(r["actor"], r["role"]) for r in closure["roles"]} == {
        ("Agnes Callamard", "speaker"),
        ("Amnesty International", "authority"),
    }
    assert closure["places"] == ["Hong Kong"]
    assert closure["precision"] == "day" and nsl["precision"] == "month"
    assert closure["iri"] == "https://w3id.org/hk-timeline-kg/id/event/closure-announcement"


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (None, None, ["nsl-takes-effect", "closure-announcement"]),
        (None, "2020-06-01", ["nsl-takes-effect"]),  # "June 2020" may begin on the 1st
        (None, "2020-05-31", []),
        ("2020-06-30", None, ["nsl-takes-effect", "closure-announcement"]),  # ...or on the 30th
        ("2020-07-01", None, ["closure-announcement"]),
        ("2020-07-01", "2021-10-24", []),
        ("2021-10-25", "2021-10-25", ["closure-announcement"]),  # both ends inclusive
        ("2021-10-26", None, []),
        ("2020-06-15", "2020-06-15", ["nsl-takes-effect"]),
    ],
)
def test_mini_from_to(mini, start, end, expected):
    assert [e["id"] for e in mini.timeline(start=start, end=end)] == expected


@pytest.mark.parametrize(
    "actor, expected",
    [
        ("Amnesty International", ["nsl-takes-effect", "closure-announcement"]),
        ("amnesty", ["nsl-takes-effect", "closure-announcement"]),
        ("AMNESTY INTERNATIONAL", ["nsl-takes-effect", "closure-announcement"]),
        ("agnes callamard", ["closure-announcement"]),
        ("agnes-callamard", ["closure-announcement"]),  # an id
    ],
)
def test_mini_actor(mini, actor, expected):
    assert [e["id"] for e in mini.timeline(actor=actor)] == expected


def test_mini_type(mini):
    assert [e["id"] for e in mini.timeline(type="announcement")] == ["closure-announcement"]
    assert [e["id"] for e in mini.timeline(type="statement")] == ["closure-announcement"]  # narrower
    assert [e["id"] for e in mini.timeline(type="legal act")] == ["nsl-takes-effect"]  # broader
    assert mini.timeline(type="protest") == []


# ----------------------------------------------------------------------------- the real data


def test_order_by_earliest_begin(graph):
    events = graph.timeline()
    assert len(events) >= 30
    keys = [(e["earliest_begin"], e["latest_begin"]) for e in events]
    assert keys == sorted(keys)
    assert len({e["id"] for e in events}) == len(events)


def test_every_event_has_the_json_fields(graph):
    for e in graph.timeline():
        assert set(FIELDS) <= set(e)
        assert e["actors"] and e["sources"] and e["label"] and e["type"] and e["edtf"]
        assert e["earliest_begin"] <= e["latest_begin"]
        if e["earliest_end"] is not None:
            assert e["earliest_end"] <= e["latest_end"]


def test_2020(graph):
    events = graph.timeline(start="2020-01-01", end="2020-12-31")
    edtfs = {e["edtf"] for e in events}
    assert {"2020-06-18/2020-06-20", "2020-06-30", "[2020-05-21..2020-06-30]", "2020-05/.."} <= edtfs
    for e in events:
        assert e["latest_begin"] >= "2020-01-01" and e["earliest_begin"] <= "2020-12-31"
    # events that surely began outside 2020 are left out, whenever they ended
    assert "2019-03-15/.." not in edtfs and "2021-10-25" not in edtfs and "1984-12-19" not in edtfs
    outside = [e for e in graph.timeline() if e not in events]
    assert all(e["latest_begin"] < "2020-01-01" or e["earliest_begin"] > "2020-12-31" for e in outside)


def test_from_to_keep_events_whose_begin_may_fall_in_range(graph):
    """A one-of-a-set date ``[2020-05-21..2020-06-30]`` may begin on any day of its range."""
    ids = {e["id"] for e in graph.timeline(start="2020-06-18", end="2020-06-18")}
    assert {"petition-to-li-zhanshu", "npcsc-session-june-2020"} <= ids
    ids = {e["id"] for e in graph.timeline(start="2020-06-19", end="2020-06-27")}
    assert "npcsc-session-june-2020" not in ids  # began on the 18th, though it lasted to the 20th
    assert "petition-to-li-zhanshu" in ids and "open-letter-to-li-zhanshu" not in ids


@pytest.mark.parametrize("actor", ["amnesty", "Amnesty International", "AMNESTY", "amnesty-international"])
def test_actor_amnesty(graph, actor):
    events = graph.timeline(actor=actor)
    ids = {e["id"] for e in events}
    assert {"amnesty-announces-hong-kong-closures", "amnesty-report-june-2021", "open-letter-to-li-zhanshu"} <= ids
    assert all("Amnesty International" in e["actors"] for e in events)


@pytest.mark.parametrize("actor", ["NPCSC", "npcsc", "Standing Committee of the National People's Congress"])
def test_actor_npcsc(graph, actor):
    events = graph.timeline(actor=actor)
    assert "npcsc-session-june-2020" in {e["id"] for e in events}
    assert all("Standing Committee of the National People's Congress" in e["actors"] for e in events)


def test_actor_and_type_together(graph):
    events = graph.timeline(actor="NPCSC", type="legislative session")
    assert [e["edtf"] for e in events] == ["2020-06-18/2020-06-20", "2020-06-28/2020-06-30"]


def test_type_includes_narrower_types(graph):
    types = {e["type"] for e in graph.timeline(type="statement")}
    assert {"statement", "press release"} <= types
    assert "protest" not in types
    assert {e["type"] for e in graph.timeline(type="press release")} == {"press release"}
    assert {e["type"] for e in graph.timeline(type="press-release")} == {"press release"}  # by id


def test_unknown_actor_suggests_close_names(graph):
    with pytest.raises(NotFound) as info:
        graph.timeline(actor="Amnesty Internationl")
    msg = str(info.value)
    assert "no actor named 'Amnesty Internationl'" in msg
    assert "did you mean" in msg and "'Amnesty International'" in msg
    assert info.value.exit_code == 5


def test_unknown_type(graph):
    with pytest.raises(NotFound, match="no event type named 'revolution'"):
        graph.timeline(type="revolution")


def test_an_event_is_not_an_actor(graph):
    with pytest.raises(NotFound):
        graph.timeline(actor="open-letter-to-li-zhanshu")


@pytest.mark.parametrize("bad", ["2020-13-01", "2020-6", "June 2020", "2020-06-31"])
def test_bad_from_date(graph, bad):
    with pytest.raises(UsageError, match="expects a date YYYY-MM-DD"):
        graph.timeline(start=bad)
