"""The orjson transcoder writes what the library's JSONTranscoder reads, and reads what it wrote.

Every comparison is made against the library's transcoder with the transcodings the services
register (``ServiceApplication.register_transcodings``: the library's UUID, Decimal and datetime
transcodings and the kit's ``DateAsISO``).  "The same" means the same bytes, or the same value
once the library writes it again (floats may spell an exponent differently), or the same error.
"""

from __future__ import annotations

import math
from collections import namedtuple
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum, IntEnum, StrEnum
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Transcoder,
    Transcoding,
    TranscodingNotRegisteredError,
    UUIDAsHex,
)
from hypothesis import example, given, settings
from hypothesis import strategies as st

from services.case_store.domain.placement_record import PlacementRecord
from services.case_store.domain.timeline import CaseTimeline, NewEntry
from services.kit.domain.case_access import CaseAccess
from services.kit.settings import ServiceSettings
from services.kit.store import ServiceApplication, open_store
from services.kit.transcoding import DateAsISO, OrjsonTranscoder

IN_MEMORY = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": ":memory:"}


def _registered(transcoder: JSONTranscoder) -> JSONTranscoder:
    app = ServiceApplication(env=IN_MEMORY)
    try:
        app.register_transcodings(transcoder)
    finally:
        app.close()
    return transcoder


LIBRARY = _registered(JSONTranscoder())
ORJSON = _registered(OrjsonTranscoder())


def test_the_comparison_is_made_with_every_transcoding_the_services_register() -> None:
    assert {name: type(each) for name, each in LIBRARY.names.items()} == {
        "uuid_hex": UUIDAsHex,
        "decimal_str": DecimalAsStr,
        "datetime_iso": DatetimeAsISO,
        "date_iso": DateAsISO,
    }
    assert ORJSON.names.keys() == LIBRARY.names.keys()


def outcome(function: Callable[[Any], Any], argument: Any) -> tuple[Any, ...]:
    """What ``function`` gives: its result in the library's own bytes, or its error."""
    try:
        result = function(argument)
    except Exception as error:
        return ("error", type(error), str(error))
    if isinstance(result, bytes):
        return ("bytes", result)
    try:
        return ("value", LIBRARY.encode(result))
    except UnicodeEncodeError:  # a lone surrogate read from an escape: the library cannot write it
        return ("value", repr(result))


def rewritten(data: bytes) -> bytes:
    """``data`` read and written again by the library: equal for equal values."""
    return LIBRARY.encode(LIBRARY.decode(data))


def has_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(has_float(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(has_float(v) for v in value)
    return False


# -- values ----------------------------------------------------------------------------------

offsets = st.timedeltas(
    min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)
)
zones = st.none() | st.just(UTC) | st.builds(timezone, offsets) | st.timezones()
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text()
    | st.uuids()
    | st.datetimes(timezones=zones)
    | st.dates()
    | st.decimals(allow_nan=False)
)
keys = st.text() | st.sampled_from(["_type_", "_data_", "timestamp", "attribution"])
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(keys, inner, max_size=4)
    ),
    max_leaves=25,
)
states = st.dictionaries(keys, values, max_size=8)


def stored_states() -> Iterator[dict[str, Any]]:
    """The states of real events of the kit and the case store, as the mapper hands them over."""
    at = datetime(2026, 11, 20, 10, tzinfo=UTC)
    timeline = CaseTimeline.open_with_entry(
        CaseTimeline.id_for("0380", "0380-1"),
        "0380-1",
        "0380",
        NewEntry("ext|1", at, "ext", "x.v1", "x", "å ä ö"),
    )
    timeline.append(NewEntry("ext|2", at, "ext", "se.placement.started.v1", "x", "å ä ö"))
    record = PlacementRecord(
        municipality="0380",
        case_id="0380-1",
        placement_id="P-1",
        placement_type="kinship",
        start_date=date(2026, 1, 2),
    )
    record.change_type("family_home")
    record.end(date(2026, 3, 4), "returned_home")
    access = CaseAccess("0380-1", "cw-1", "0380", "timeline", "case work", "granted")
    for domain_event in [*timeline.collect_events(), *record.collect_events(), *access.collect_events()]:
        state = dict(vars(domain_event))
        state.pop("originator_id")
        state.pop("originator_version")
        state["attribution"] = {"actor": "system:case_store", "reason": ""}
        yield state


# -- writing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state",
    list(stored_states()),
    ids=lambda state: state["originator_topic"] if "originator_topic" in state else str(sorted(state)),
)
def test_the_services_stored_events_are_written_byte_for_byte_as_the_library_writes_them(
    state: dict[str, Any],
) -> None:
    assert ORJSON.encode(state) == LIBRARY.encode(state)


@settings(max_examples=150)
@given(states)
def test_any_state_is_written_as_the_library_writes_it_or_refused_as_the_library_refuses_it(
    state: dict[str, Any],
) -> None:
    ours, theirs = outcome(ORJSON.encode, state), outcome(LIBRARY.encode, state)
    if ours[0] == "bytes" and theirs[0] == "bytes" and has_float(state):
        assert outcome(rewritten, ours[1]) == outcome(rewritten, theirs[1])
    else:
        assert ours == theirs


@given(st.datetimes(timezones=zones))
@example(datetime(2026, 1, 1, tzinfo=timezone(timedelta(seconds=30))))
@example(datetime(1, 1, 1, 0, 0, 0, 0))
@example(datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC))
@example(datetime(2000, 1, 1, tzinfo=timezone(timedelta(microseconds=1))))
def test_datetimes_in_any_zone_are_written_as_isoformat_text(moment: datetime) -> None:
    written = ORJSON.encode({"at": moment})
    assert written == LIBRARY.encode({"at": moment})
    assert ORJSON.decode(written)["at"].isoformat() == LIBRARY.decode(written)["at"].isoformat()
    offset = moment.utcoffset()
    if offset is None or offset.microseconds == 0:
        # A zone offset with a fraction of a second (only ever made up) is read back without
        # it by ``datetime.fromisoformat`` itself, in the library's transcoder as in this one.
        assert ORJSON.decode(written)["at"].isoformat() == moment.isoformat()


def test_integers_beyond_64_bits_not_a_number_and_infinities_are_written_as_json_writes_them() -> None:
    state = {"big": 2**64, "small": -(2**63) - 1, "nan": math.nan, "inf": math.inf, "ninf": -math.inf}
    assert ORJSON.encode(state) == LIBRARY.encode(state)
    assert (
        ORJSON.encode(state)
        == b'{"big":18446744073709551616,"small":-9223372036854775809,"nan":NaN,"inf":Infinity,"ninf":-Infinity}'
    )


def test_floats_may_spell_their_exponent_differently_but_are_the_same_numbers() -> None:
    state = {"numbers": [0.1, 1.0, -0.0, 1e-07, 1e16, 5e-324, 1.7976931348623157e308]}
    assert LIBRARY.decode(ORJSON.encode(state)) == LIBRARY.decode(LIBRARY.encode(state))


class Colour(Enum):
    RED = "red"


class Size(IntEnum):
    LARGE = 3


class Kind(StrEnum):
    PLAIN = "plain"


class Label(str):
    pass


class Count(int):
    pass


class Ratio(float):
    pass


class Mapping(dict):  # type: ignore[type-arg]
    pass


Pair = namedtuple("Pair", "left right")


def test_subclasses_of_json_types_are_written_as_the_types_they_extend() -> None:
    state = {
        "size": Size.LARGE,
        "kind": Kind.PLAIN,
        "label": Label("x"),
        "count": Count(7),
        "ratio": Ratio(0.5),
        "mapping": Mapping(a=Size.LARGE),
        "pair": Pair(UUID(int=1), date(2026, 1, 1)),
        "tuple": (1, (2, 3)),
    }
    assert ORJSON.encode(state) == LIBRARY.encode(state)
    assert ORJSON.encode(state) == (
        b'{"size":3,"kind":"plain","label":"x","count":7,"ratio":0.5,"mapping":{"a":3},'
        b'"pair":[{"_type_":"uuid_hex","_data_":"00000000000000000000000000000001"},'
        b'{"_type_":"date_iso","_data_":"2026-01-01"}],"tuple":[1,[2,3]]}'
    )


def test_objects_of_unregistered_types_are_refused_with_the_library_error() -> None:
    for state in ({"colour": Colour.RED}, {"at": datetime(2026, 1, 1).time()}, {"set": {1}}, {"raw": b"x"}):
        with pytest.raises(TranscodingNotRegisteredError) as ours:
            ORJSON.encode(state)
        with pytest.raises(TranscodingNotRegisteredError) as theirs:
            LIBRARY.encode(state)
        assert str(ours.value) == str(theirs.value)


def test_keys_that_are_not_text_circular_structures_and_lone_surrogates_fail_or_pass_as_in_the_library() -> (
    None
):
    circular: list[Any] = []
    circular.append(circular)
    for state in (
        {2: "a", False: "b", None: "c", 1.5: "d"},
        {UUID(int=1): "x"},
        {"loop": circular},
        {"s": "\ud800"},
    ):
        assert outcome(ORJSON.encode, state) == outcome(LIBRARY.encode, state)


class ColourAsName(Transcoding):
    type = Colour
    name = "colour"

    def encode(self, obj: Colour) -> dict[str, Any]:
        return {"name": obj.name, "checked": (UUID(int=2), math.inf)}

    def decode(self, data: dict[str, Any]) -> Colour:
        return Colour[data["name"]]


class DatetimeAsTimestamp(Transcoding):
    type = datetime
    name = "datetime_iso"

    def encode(self, obj: datetime) -> float:
        return obj.timestamp()

    def decode(self, data: float) -> datetime:
        return datetime.fromtimestamp(data, UTC)


def test_a_registered_transcoding_is_used_and_what_it_returns_is_written_as_the_library_writes_it() -> None:
    ours, theirs = _registered(OrjsonTranscoder()), _registered(JSONTranscoder())
    for transcoder in (ours, theirs):
        transcoder.register(ColourAsName())
    state = {"colour": Colour.RED, "colours": [Colour.RED]}
    assert ours.encode(state) == theirs.encode(state)
    assert ours.decode(theirs.encode(state)) == theirs.decode(theirs.encode(state)) == state


def test_a_datetime_transcoding_other_than_the_library_one_is_called_for_every_datetime() -> None:
    ours, theirs = _registered(OrjsonTranscoder()), _registered(JSONTranscoder())
    for transcoder in (ours, theirs):
        transcoder.register(DatetimeAsTimestamp())
    state = {"at": datetime(2026, 11, 20, 10, tzinfo=UTC), "naive": datetime(2026, 11, 20, 10)}
    assert ours.encode(state) == theirs.encode(state)
    assert b"datetime_iso" in ours.encode(state) and b"2026-11-20" not in ours.encode(state)


# -- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state",
    list(stored_states()),
    ids=lambda state: state["originator_topic"] if "originator_topic" in state else str(sorted(state)),
)
def test_the_services_stored_events_written_by_the_library_are_read_as_the_library_reads_them(
    state: dict[str, Any],
) -> None:
    written = LIBRARY.encode(state)
    ours, theirs = ORJSON.decode(written), LIBRARY.decode(written)
    assert ours == theirs
    assert [type(v) for v in ours.values()] == [type(v) for v in theirs.values()]


@settings(max_examples=150)
@given(states)
def test_anything_the_library_wrote_is_read_as_the_library_reads_it(state: dict[str, Any]) -> None:
    written = outcome(LIBRARY.encode, state)
    if written[0] == "bytes":
        assert outcome(ORJSON.decode, written[1]) == outcome(LIBRARY.decode, written[1])


@settings(max_examples=150)
@given(states)
def test_anything_written_by_this_transcoder_is_read_back_by_the_library_and_by_itself_alike(
    state: dict[str, Any],
) -> None:
    written = outcome(ORJSON.encode, state)
    if written[0] == "bytes":
        assert outcome(ORJSON.decode, written[1]) == outcome(LIBRARY.decode, written[1])


@pytest.mark.parametrize(
    "text",
    [
        b'{"n":18446744073709551616,"m":-9223372036854775809,"f":1e19}',
        b'{"n":NaN,"i":Infinity,"j":-Infinity,"huge":1e400}',
        b'{"a":1,"a":{"_type_":"uuid_hex","_data_":"00000000000000000000000000000001"}}',
        b'{"\\u005ftype_":"date_iso","_data_":"2026-01-02"}',
        b'{"_type_":"date_iso","_data_":"2026-01-02","extra":1}',
        b'{"_type_":"date_iso"}',
        b'{"_type_":"unknown","_data_":1}',
        b'{"_type_":["not","a","name"],"_data_":1}',
        b'{"_type_":"uuid_hex","_data_":{"_type_":"date_iso","_data_":"2026-01-02"}}',
        b'[{"_type_":"datetime_iso","_data_":"2026-01-02T03:04:05+00:00"},[1e300,-0.0]]',
        b' {"spaced" : [ 1 , 2 ] } ',
        b'"\\ud800"',
        b"18446744073709551616",
        b'{"a":1} trailing',
        b"\xef\xbb\xbf{}",
        b"\xff",
        b"",
    ],
)
def test_any_text_is_read_as_the_library_reads_it_or_refused_as_the_library_refuses_it(text: bytes) -> None:
    assert outcome(ORJSON.decode, text) == outcome(LIBRARY.decode, text)


def test_integers_beyond_64_bits_are_read_exactly() -> None:
    decoded = ORJSON.decode(b'{"n":[18446744073709551616,-9223372036854775809]}')
    assert decoded == {"n": [2**64, -(2**63) - 1]}
    assert all(type(n) is int for n in decoded["n"])


# -- stores ----------------------------------------------------------------------------------


class _Store(ServiceApplication):
    """The library's transcoder, as the services stored events before this one."""

    name = "transcoding_test"

    def construct_transcoder(self) -> Transcoder:
        transcoder = JSONTranscoder()
        self.register_transcodings(transcoder)
        return transcoder


class _OrjsonStore(_Store):
    """The wiring proposed for ``ServiceApplication``."""

    def construct_transcoder(self) -> Transcoder:
        transcoder = OrjsonTranscoder()
        self.register_transcodings(transcoder)
        return transcoder


class Visit(Aggregate):
    """Every registered type in one stored event."""

    @event("Planned")
    def __init__(
        self, key: str, ref: UUID, cost: Decimal, due: date, at: datetime, tags: tuple[str, ...]
    ) -> None:
        self.key, self.ref, self.cost, self.due, self.at, self.tags = key, ref, cost, due, at, list(tags)

    @staticmethod
    def create_id(key: str, **_: object) -> UUID:
        return uuid5(NAMESPACE_URL, f"transcoding-test:{key}")


def _aggregates() -> list[Aggregate]:
    at = datetime(2026, 11, 20, 10, tzinfo=UTC)
    timeline = CaseTimeline.open_with_entry(
        CaseTimeline.id_for("0380", "0380-1"),
        "0380-1",
        "0380",
        NewEntry("ext|1", at, "ext", "x.v1", "x", "å"),
    )
    timeline.append(NewEntry("ext|2", at, "ext", "se.placement.started.v1", "x", "å"))
    record = PlacementRecord(
        municipality="0380",
        case_id="0380-1",
        placement_id="P-1",
        placement_type="kinship",
        start_date=date(2026, 1, 2),
    )
    record.end(date(2026, 3, 4), "returned_home")
    visit = Visit(
        "v-1", uuid4(), Decimal("12.50"), date(2026, 5, 6), datetime(2026, 5, 6, 7, 8, tzinfo=UTC), ("a", "b")
    )
    return [timeline, record, visit, CaseAccess("0380-1", "cw-1", "0380", "timeline", "case work", "granted")]


@pytest.mark.parametrize(
    ("writer", "reader"),
    [(_Store, _OrjsonStore), (_OrjsonStore, _Store)],
    ids=["library-then-orjson", "orjson-then-library"],
)
def test_a_store_written_with_one_transcoder_loads_with_the_other(
    tmp_path: Path, writer: type[ServiceApplication], reader: type[ServiceApplication]
) -> None:
    settings_ = ServiceSettings(data_dir=tmp_path)
    aggregates = _aggregates()
    first = open_store(writer, settings_, "store")
    try:
        first.save(*aggregates)
        written = [(n.id, n.topic, n.state) for n in first.recorder.select_notifications(1, 100)]
    finally:
        first.close()
    second = open_store(reader, settings_, "store")
    try:
        for aggregate in aggregates:
            loaded = second.repository.get(aggregate.id)
            assert {k: v for k, v in vars(loaded).items() if k != "_pending_events"} == {
                k: v for k, v in vars(aggregate).items() if k != "_pending_events"
            }
        read = second.recorder.select_notifications(1, 100)
        assert [second.mapper.to_domain_event(n) for n in read] == [
            first.mapper.to_domain_event(n) for n in read
        ]
        assert [(n.id, n.topic, n.state) for n in read] == written
    finally:
        second.close()


def test_both_transcoders_map_every_event_to_the_same_stored_event(tmp_path: Path) -> None:
    events = [domain_event for aggregate in _aggregates() for domain_event in aggregate.collect_events()]
    apps = [
        open_store(c, ServiceSettings(data_dir=tmp_path / c.__name__), "store")
        for c in (_Store, _OrjsonStore)
    ]
    try:
        library_app, orjson_app = apps
        assert [orjson_app.mapper.to_stored_event(e) for e in events] == [
            library_app.mapper.to_stored_event(e) for e in events
        ]
    finally:
        for app in apps:
            app.close()
