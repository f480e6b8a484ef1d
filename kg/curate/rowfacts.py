"""What an imported row says beyond an event's core (:mod:`kg.curate.importer`), kept as standard RDF.

A mapping may name, besides id, label, date, type, actors and place:

- ``geo: {latitude: COLUMN, longitude: COLUMN}``: the place's WGS 84 coordinates, written as
  ``schema:geo`` (a ``schema:GeoCoordinates`` derived from the table) and W3C Basic Geo
  ``wgs84:lat``/``wgs84:long`` (:meth:`kg.curate.build.Builder.geo`);
- ``facts: [{column, property, datatype}]``: a cell of the row on the event, under a property
  of CONTRACT.md's vocabularies (``rdfs:comment`` for ACLED's notes, ``hk:fatalities`` for its
  fatality counts, ``schema:url`` for GDELT's source article), typed by ``datatype``
  (``xsd:integer``, ``xsd:decimal``, ``iri``; default a string);
- ``code: COLUMN`` on an actor: its code in the table's scheme (ACLED's ``inter1``, GDELT's
  CAMEO ``Actor1Code``), as ``schema:identifier``.
"""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox

from kg.namespaces import PREFIXES, XSD

_NUMBER = {"xsd:integer": re.compile(r"[-+]?\d+"), "xsd:decimal": re.compile(r"[-+]?(\d+\.?\d*|\.\d+)")}


def expand(curie: str) -> ox.NamedNode:
    """``rdfs:comment`` -> its IRI, for the prefixes of :data:`kg.namespaces.PREFIXES`."""
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in PREFIXES:
        raise ValueError(f"{curie!r} is not a prefixed name of {', '.join(PREFIXES)}")
    return ox.NamedNode(PREFIXES[prefix] + local)


def check(mapping: dict[str, Any], where: str) -> list[str]:
    """Problems with a mapping's ``geo``, ``facts`` and actor ``code`` keys."""
    problems = []
    geo = mapping.get("geo")
    if geo is not None and not (isinstance(geo, dict) and {"latitude", "longitude"} <= set(geo)):
        problems.append(f"{where}: geo: needs 'latitude' and 'longitude' columns")
    for i, fact in enumerate(mapping.get("facts") or []):
        if not isinstance(fact, dict) or not {"column", "property"} <= set(fact):
            problems.append(f"{where}: facts[{i}]: needs a 'column' and a 'property'")
            continue
        try:
            expand(fact["property"])
        except ValueError as exc:
            problems.append(f"{where}: facts[{i}]: {exc}")
        if fact.get("datatype", "xsd:string") not in ("xsd:string", "iri", *_NUMBER):
            problems.append(f"{where}: facts[{i}]: datatype is one of xsd:string, xsd:integer, xsd:decimal, iri")
    return problems


def geo(mapping: dict[str, Any], row: dict[str, str], source_id: str) -> dict[str, Any] | None:
    """The place's coordinates from the row, as a place record's ``geo`` (None when empty)."""
    spec = mapping.get("geo")
    if not spec:
        return None
    lat, lon = ((row.get(spec[k]) or "").strip() for k in ("latitude", "longitude"))
    if not lat and not lon:
        return None
    try:
        return {"latitude": float(lat), "longitude": float(lon), "reference": source_id}
    except ValueError:
        raise ValueError(f"coordinates ({lat!r}, {lon!r}) are not numbers") from None


def facts(mapping: dict[str, Any], row: dict[str, str], node: ox.NamedNode) -> list[tuple]:
    """The triples of the row's ``facts`` on ``node`` (empty cells give none)."""
    out = []
    for fact in mapping.get("facts") or []:
        value = " ".join((row.get(fact["column"]) or "").split())
        if not value:
            continue
        datatype = fact.get("datatype", "xsd:string")
        if datatype == "iri":
            if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", value):
                raise ValueError(f"column {fact['column']!r}: {value!r} is not a web address")
            obj: Any = ox.NamedNode(value)
        elif datatype in _NUMBER:
            if not _NUMBER[datatype].fullmatch(value):
                raise ValueError(f"column {fact['column']!r}: {value!r} is not an {datatype}")
            obj = ox.Literal(value, datatype=ox.NamedNode(XSD + datatype[4:]))
        else:
            obj = ox.Literal(value, language="en") if fact["property"] == "rdfs:comment" else ox.Literal(value)
        out.append((node, expand(fact["property"]), obj))
    return out
