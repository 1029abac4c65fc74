"""Stored events' JSON written and read with orjson, in the library's own format.

``OrjsonTranscoder`` is a drop-in for the eventsourcing library's ``JSONTranscoder``:
same registered transcodings, same JSON (objects of registered types wrapped as
``{"_type_": name, "_data_": ...}``), so a store written by either is read by the other.

orjson alone would not give that format: it writes UUIDs, enums and NaN its own way
and has no per-object hook when reading.  So, to write, a walk first turns the
state into what JSON holds (wrapping registered types, tuples as lists, subclasses
of builtins as the builtins, exactly as ``json`` does) and orjson only serialises
the result.  Datetimes without a zone or in UTC are left to orjson, whose text for
them is ``isoformat()``'s, at a fraction of its cost.  To read, orjson parses and a
walk unwraps, innermost first, as the library's ``object_hook`` does.

Anything the fast paths do not cover exactly goes to the library's own code, which
decides the result or the error: integers beyond 64 bits, NaN and infinities,
non-string keys, circular or very deep structures, invalid text.  The only
difference in the bytes is the spelling of some floats' exponents (``1e-7`` for
``1e-07``): the same number either way.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import orjson
from eventsourcing.persistence import DatetimeAsISO, JSONTranscoder, Transcoding

__all__ = ["DateAsISO", "OrjsonTranscoder"]

# Types whose values orjson writes exactly as ``json`` does; everything else is walked.
_AS_IS = frozenset({str, int, bool, type(None)})
_JSON_NATIVE = (str, int, float, list, tuple, dict)
# Outside this range orjson reads an integer as a float: the library's reader decides.
_LARGEST_EXACT = float(2**63)
# Anything the walk let through unconverted (a subclass, a dataclass) makes orjson fail.
_OPTIONS = orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS


class _NotExact(Exception):
    """orjson would not give the library's result here: use the library's code instead."""


class OrjsonTranscoder(JSONTranscoder):
    """The library's ``JSONTranscoder`` format, encoded and decoded with orjson."""

    def __init__(self) -> None:
        super().__init__()
        self._datetime_name: str | None = None
        self._hooked: dict[type, Transcoding] = {}

    def register(self, transcoding: Transcoding) -> None:
        super().register(transcoding)
        # orjson's text for a naive or UTC datetime is isoformat()'s, so the library's
        # own DatetimeAsISO can be left to orjson; any other datetime transcoding is called.
        registered = self.types.get(datetime)
        self._datetime_name = registered.name if type(registered) is DatetimeAsISO else None
        # json calls the library's hook only for what is not a str, int, float, list, tuple or dict.
        self._hooked = {
            kind: each
            for kind, each in self.types.items()
            if not issubclass(kind, _JSON_NATIVE) and kind is not type(None)
        }

    # -- writing ---------------------------------------------------------------------------
    def encode(self, obj: Any) -> bytes:
        try:
            prepared = self._prepare_dict(obj) if type(obj) is dict else self._prepare(obj)
            return orjson.dumps(prepared, option=_OPTIONS)
        except Exception:  # noqa: BLE001 - the library's encoder gives the result, or the error
            return super().encode(obj)

    def _prepare(self, o: Any) -> Any:
        """``o`` as plain JSON values, in the shape ``json`` with the library's hook writes."""
        kind = type(o)
        if kind in _AS_IS:
            return o
        if kind is dict:
            return self._prepare_dict(o)
        if kind is datetime and self._datetime_name is not None and (o.tzinfo is None or o.tzinfo is UTC):
            return {"_type_": self._datetime_name, "_data_": o}
        transcoding = self._hooked.get(kind)
        if transcoding is not None:
            data = transcoding.encode(o)
            return {
                "_type_": transcoding.name,
                "_data_": data if type(data) in _AS_IS else self._prepare(data),
            }
        if kind is list or kind is tuple:
            return [self._prepare(v) for v in o]
        if kind is float:
            return self._finite(o)
        # In json's own order: subclasses of the builtins, then the library's hook.
        if isinstance(o, str):
            return str.__str__(o)
        if isinstance(o, int):
            return int.__int__(o)
        if isinstance(o, float):
            return self._finite(float.__float__(o))
        if isinstance(o, list | tuple):
            return [self._prepare(v) for v in o]
        if isinstance(o, dict):
            return self._prepare_dict(dict(o.items()))
        return self._prepare_dict(self._encode_obj(o))

    def _prepare_dict(self, d: dict[Any, Any]) -> dict[Any, Any]:
        # Keys stay as they are: orjson refuses any but str, and the library's code decides.
        prepared = d
        datetime_name = self._datetime_name
        for key, value in d.items():
            kind = type(value)
            if kind in _AS_IS:
                continue
            if (
                kind is datetime
                and datetime_name is not None
                and (value.tzinfo is None or value.tzinfo is UTC)
            ):
                new: Any = {"_type_": datetime_name, "_data_": value}  # every stored event has one
            else:
                new = self._prepare(value)
            if new is not value:
                if prepared is d:
                    prepared = dict(d)
                prepared[key] = new
        return prepared

    @staticmethod
    def _finite(value: float) -> float:
        if value - value == 0.0:  # NaN and the infinities: orjson would write null
            return value
        raise _NotExact

    # -- reading ---------------------------------------------------------------------------
    def decode(self, data: bytes) -> Any:
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError:
            return super().decode(data)
        try:
            kind = type(value)
            if kind is dict:
                return self._restore_dict(value)
            if kind is list:
                return self._restore_list(value)
            if kind is float:
                self._check_float(value)
            return value
        except (_NotExact, RecursionError):
            return super().decode(data)

    def _restore_dict(self, d: dict[str, Any]) -> Any:
        for key, value in d.items():
            kind = type(value)
            if kind is dict:
                d[key] = self._restore_dict(value)
            elif kind is list:
                d[key] = self._restore_list(value)
            elif kind is float:
                self._check_float(value)
        if len(d) == 2 and "_type_" in d and "_data_" in d:
            name = d["_type_"]
            transcoding = self.names.get(name) if type(name) is str else None
            if transcoding is None:
                return self._decode_obj(d)  # the library's error
            return transcoding.decode(d["_data_"])
        return d

    def _restore_list(self, items: list[Any]) -> list[Any]:
        for index, value in enumerate(items):
            kind = type(value)
            if kind is dict:
                items[index] = self._restore_dict(value)
            elif kind is list:
                items[index] = self._restore_list(value)
            elif kind is float:
                self._check_float(value)
        return items

    @staticmethod
    def _check_float(value: float) -> None:
        # orjson reads an integer beyond 64 bits as a float; json reads it exactly.
        if value >= _LARGEST_EXACT or value <= -_LARGEST_EXACT:
            raise _NotExact


class DateAsISO(Transcoding):
    """Calendar dates (due dates, start dates) in stored events, as ISO text."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)
