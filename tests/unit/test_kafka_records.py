"""Fetched batches whose header names are not UTF-8, read as the consumers' fetcher reads them
(``services.kit.kafka_records``); the broker-level proof is tests/integration/test_inbound_header_names.py."""

from __future__ import annotations

from typing import Any

import pytest
from aiokafka.record.default_records import DefaultRecordBatchBuilder, _DefaultRecordBatchBuilderPy

from services.kit.kafka_records import MemoryRecordsReadingOddHeaderNames

GZIP, NONE = 1, 0


class _RawName(str):
    def encode(self, *_: Any, **__: Any) -> bytes:  # type: ignore[override]
        return b"\xff\xfe-trace"


def _batch(base_offset: int, records: list[tuple[bytes, list[tuple[str, bytes]]]], compression: int) -> bytes:
    builder = _DefaultRecordBatchBuilderPy(
        magic=2, compression_type=compression, is_transactional=0, producer_id=-1,
        producer_epoch=-1, base_sequence=-1, batch_size=1 << 20,
    )  # fmt: skip
    for delta, (value, headers) in enumerate(records):
        builder.append(delta, timestamp=None, key=b"k", value=value, headers=headers)
    raw = bytearray(builder.build())
    raw[0:8] = base_offset.to_bytes(8, "big")  # the broker sets a batch's base offset
    return bytes(raw)


def _read(data: bytes) -> list[tuple[int, bytes, list[tuple[str, bytes]]]]:
    records, read = MemoryRecordsReadingOddHeaderNames(data), []
    while records.has_next():
        batch = records.next_batch()
        assert batch.validate_crc()
        read += [(record.offset, record.value, list(record.headers)) for record in batch]
    return read


@pytest.mark.parametrize("compression", [NONE, GZIP], ids=["uncompressed", "gzip"])
def test_an_odd_header_name_mid_batch_is_read_escaped_and_every_record_of_every_batch_once_in_order(
    compression: int,
) -> None:
    plain = [("trace", b"t")]
    first = _batch(0, [(b"a", plain), (b"b", [(_RawName("x"), b"1"), *plain]), (b"c", [])], compression)
    second = _batch(3, [(b"d", plain)], compression)
    assert _read(first + second) == [
        (0, b"a", plain),
        (1, b"b", [("\\xff\\xfe-trace", b"1"), *plain]),
        (2, b"c", []),
        (3, b"d", plain),
    ]


def test_batches_with_utf8_header_names_are_read_as_aiokafka_reads_them() -> None:
    builder = DefaultRecordBatchBuilder(
        magic=2, compression_type=NONE, is_transactional=0, producer_id=-1,
        producer_epoch=-1, base_sequence=-1, batch_size=1 << 20,
    )  # fmt: skip
    builder.append(0, timestamp=None, key=None, value=b"v", headers=[("åäö", b"\xff")])
    assert _read(bytes(builder.build())) == [(0, b"v", [("åäö", b"\xff")])]
