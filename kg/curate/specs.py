"""The shape of each kind of record in ``data/``: its fields, their types, and the vocabularies
(roles, relations, actor kinds) a curator chooses from. :mod:`kg.curate.records` checks the
YAML against these; ``data/README.md`` documents them for curators.
"""

from __future__ import annotations

import re
from typing import Any

KINDS = ("source", "place", "actor", "law", "event", "claim")
#: Where each kind of record lives, relative to the data directory.
LOCATIONS = {
    "source": ["sources.yaml"],
    "place": ["places.yaml"],
    "actor": ["actors/*.yaml"],
    "law": ["laws.yaml"],
    "event": ["events/*.yaml"],
    "claim": ["claims/*.yaml"],
}
ROLES = (
    "organiser",
    "participant",
    "author",
    "signatory",
    "addressee",
    "speaker",
    "authority",
    "subject",
    "target",
    "affected",
)
RELATIONS = ("caused_by", "motivated_by", "responds_to", "follows")
#: Actor kinds: ``unidentified`` is the unnamed author of a text, of whom the text does not say
#: whether it is a person or an organisation (it can make claims, not take roles in events).
ACTOR_KINDS = ("person", "organisation", "unidentified")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# ----- field specifications ---------------------------------------------------------------
# A spec maps a field to (type, required). Types: "str", "strs" (a list of strings), "edtf",
# "int-or-num", "ref:KIND", "refs:KIND", "refs:any", "role", "relation", "evidence", "post",
# "figure", "geo", and choice tuples.

EVIDENCE = {"source": ("ref:source", True), "quote": ("str", True)}
DATED = {"date": ("edtf", False), "date_note": ("str", False), "date_sources": ("refs:source", False)}
SPECS: dict[str, dict[str, tuple[Any, bool]]] = {
    "source": {
        "id": ("id", True),
        "title": ("str", True),
        "file": ("str", False),
        "sha256": ("sha256", False),
        "class": ("str", False),
        "publisher": ("ref:actor", False),
        "publisher_name": ("str", False),
        "publisher_sources": ("refs:source", False),
        "author": ("ref:actor", False),
        "url": ("url", False),
        "note": ("str", False),
        **DATED,
    },
    "place": {
        "id": ("id", True),
        "label": ("str", True),
        "alt_labels": ("strs", False),
        "description": ("str", False),
        "contained_in": ("ref:place", False),
        "geo": ("geo", False),
        "evidence": ("evidence", True),
    },
    "actor": {
        "id": ("id", True),
        "kind": (ACTOR_KINDS, True),
        "label": ("str", True),
        "alt_labels": ("strs", False),
        "description": ("str", False),
        "classes": ("strs", False),
        "part_of": ("ref:actor", False),
        "location": ("ref:place", False),
        "posts": ("post", False),
        "same_as": ("strs", False),
        "other_names": ("name", False),
        "evidence": ("evidence", True),
    },
    "name": {"name": ("str", True), "lang": ("str", True), "sources": ("refs:source", True)},
    "post": {
        "organisation": ("ref:actor", True),
        "title": ("str", True),
        **DATED,
        "attested": ("edtf", False),
        "note": ("str", False),
        "evidence": ("evidence", True),
    },
    "law": {
        "id": ("id", True),
        "label": ("str", True),
        "alt_labels": ("strs", False),
        "description": ("str", False),
        "evidence": ("evidence", True),
    },
    "event": {
        "id": ("id", True),
        "label": ("str", True),
        "type": ("str", True),
        "description": ("str", False),
        "date": ("edtf", True),
        "date_note": ("str", False),
        "date_sources": ("refs:source", False),
        "place": ("ref:place", False),
        "planned": ("bool", False),
        "note": ("str", False),
        "according_to": ("refs:actor", False),
        "laws": ("refs:law", False),
        "actors": ("role", True),
        "part_of": ("refs:event", False),
        **{rel: ("relation", False) for rel in RELATIONS},
        "evidence": ("evidence", True),
    },
    "role": {"actor": ("ref:actor", True), "role": (ROLES, True), "evidence": ("evidence", False)},
    "relation": {"event": ("ref:event", True), "according_to": ("refs:actor", False), "evidence": ("evidence", True)},
    "claim": {
        "id": ("id", True),
        "text": ("str", True),
        "claimant": ("refs:actor", True),
        "about": ("refs:any", False),
        "figure": ("figure", False),
        "note": ("str", False),
        "evidence": ("evidence", True),
    },
    "figure": {"value": ("number", True), "qualifier": ("str", False), "unit": ("str", False)},
    # WGS 84 degrees, and the outside reference they come from
    "geo": {"latitude": ("number", True), "longitude": ("number", True), "reference": ("ref:source", True)},
    "evidence": EVIDENCE,
}
