"""Results that several test modules need and that are too slow to compute twice a session.

pySHACL over the bundled graph takes several seconds; it runs once, here, and both
``test_data`` (the report) and ``test_cli`` (``kg validate`` end to end) use its result.
"""

from __future__ import annotations

import functools

from kg.curate.validate import check_shacl  # bound now: test_cli replaces kg.curate.validate.check_shacl by this cache


@functools.cache
def shacl_of_bundled_graph() -> tuple[int, tuple[tuple[tuple[str, str], ...], ...]]:
    """``(number of quads, violations)`` of ``kg.curate.validate.check_shacl`` on the bundled graph."""
    import kg

    graph = kg.load()
    return len(graph), tuple(tuple(sorted(v.items())) for v in check_shacl(graph))


def shacl_violations() -> list[dict[str, str]]:
    return [dict(v) for v in shacl_of_bundled_graph()[1]]
