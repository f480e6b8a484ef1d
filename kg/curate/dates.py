"""EDTF dates and the ``xsd:date`` bounds that SPARQL range filters use.

The curator writes a date as EDTF at the precision it is known; the graph also carries
earliest/latest begin and end days derived here, so that ``FILTER(?begin >= "2020-06-01"^^xsd:date)``
works whatever the precision. Parsing uses the ``edtf`` package (Library of Congress EDTF).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


class EDTFError(ValueError):
    """An EDTF string that cannot be parsed or has no usable begin."""


@dataclass(frozen=True)
class DateBounds:
    """The bounds of an EDTF date, all as :class:`datetime.date` (ends ``None`` where open; the
    begin is always known, :func:`parse` refuses a date without one).

    >>> b = parse("2020-06")
    >>> (str(b.earliest_begin), str(b.latest_begin), b.precision, b.begin_day)
    ('2020-06-01', '2020-06-30', 'month', None)
    >>> parse("2020-06-18/2020-06-20").end_day
    datetime.date(2020, 6, 20)
    """

    edtf: str
    earliest_begin: dt.date
    latest_begin: dt.date
    earliest_end: dt.date | None
    latest_end: dt.date | None
    #: ``day``, ``month``, ``year``, ``range`` (one day of a set), or ``approximate``;
    #: for an interval, the precision of its begin.
    precision: str
    #: Whether the date is an interval with a distinct end (``A/B``).
    interval: bool

    @property
    def begin_day(self) -> dt.date | None:
        """The begin, where it is known to the day."""
        if self.precision == "day" and self.earliest_begin == self.latest_begin:
            return self.earliest_begin
        return None

    @property
    def end_day(self) -> dt.date | None:
        """The end, where it is known to the day."""
        if self.interval:
            if self.earliest_end is not None and self.earliest_end == self.latest_end:
                return self.earliest_end
            return None
        return self.begin_day


def _day(struct) -> dt.date | None:
    """``time.struct_time`` (or ±inf for open ends) -> date."""
    if isinstance(struct, float):
        return None
    try:
        return dt.date(struct.tm_year, struct.tm_mon, struct.tm_mday)
    except ValueError as exc:  # year 0, negative or past 9999; 29 February of a common year
        raise EDTFError(f"{exc} (dates are days of the years 1 to 9999)") from None


def _precision(part) -> str:
    import edtf

    if isinstance(part, edtf.OneOfASet):
        return "range"
    if isinstance(part, edtf.UncertainOrApproximate):
        if part.ua is not None:
            return "approximate"
        part = part.date
    precision = getattr(part, "precision", None)
    if precision in ("day", "month", "year"):
        return precision
    raise EDTFError(f"unsupported EDTF form {str(part)!r}")


def _bounds(part) -> tuple[dt.date | None, dt.date | None]:
    return _day(part.lower_strict()), _day(part.upper_strict())


def parse(text: str) -> DateBounds:
    """Parse an EDTF string into its bounds.

    Raises :class:`EDTFError` with the reason when the string is not EDTF, or when it has no
    known begin (``../2020``): every event needs a begin that range filters can use.
    """
    import edtf

    text = str(text).strip()
    try:
        parsed = edtf.parse_edtf(text)
    except Exception as exc:  # the edtf package raises its own and pyparsing errors
        raise EDTFError(f"{text!r} is not EDTF ({exc.__class__.__name__})") from None
    if isinstance(parsed, (edtf.Interval, edtf.Level1Interval)):
        lower, upper = parsed.lower, parsed.upper
        if isinstance(lower, (edtf.UnspecifiedIntervalSection, type(None))) or _day(parsed.lower_strict()) is None:
            raise EDTFError(f"{text!r} has no known begin")
        eb, lb = _bounds(lower)
        if eb is None or lb is None:
            raise EDTFError(f"{text!r} has no known begin")
        ee: dt.date | None = None
        le: dt.date | None = None
        if not isinstance(upper, edtf.UnspecifiedIntervalSection) and _day(parsed.upper_strict()) is not None:
            ee, le = _bounds(upper)
        if ee is not None and le is not None:
            if le < eb:
                raise EDTFError(f"{text!r} ends before it begins")
            # An interval cannot end before it begins: "2020-06-18/2020-06" ends on the 18th at the
            # earliest, and "2020/2020-03" began by 31 March at the latest.
            ee, lb = max(ee, eb), min(lb, le)
        return DateBounds(text, eb, lb, ee, le, _precision(lower), True)
    eb, lb = _bounds(parsed)
    if eb is None or lb is None:
        raise EDTFError(f"{text!r} has no known begin")
    return DateBounds(text, eb, lb, eb, lb, _precision(parsed), False)
