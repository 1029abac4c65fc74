"""aiokafka reading a fetched batch that holds a header name which is not UTF-8.

The Kafka protocol makes a header name a string, but a producer written against librdkafka's C
API (kcat, a partner's own client) sends whatever bytes it is handed.  aiokafka's compiled reader
decodes each header name while it unpacks a fetched batch, before FastStream or the kit sees a
record: such a record raised on every fetch and stalled its partition for good, and every record
behind it.  ``read_odd_header_names`` (ADR 0031) has the fetcher read such a batch again with aiokafka's
pure-Python reader, header names decoded with backslash escapes; every other batch is read by the
compiled reader as before.  Header names are no part of the contract, so the record then goes the
way of any other (applied, or dead-lettered carrying the escaped name).
"""

from __future__ import annotations

import struct
from typing import Any

from aiokafka.consumer import fetcher
from aiokafka.record.default_records import _DefaultRecordBatchPy
from aiokafka.record.memory_records import MemoryRecords

BATCH_LENGTH = struct.Struct(">i")  # a batch: base offset (8 bytes), this length, then as many bytes
LENGTH_AT, LOG_OVERHEAD = 8, 12


class _LenientSlice(bytearray):
    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:  # type: ignore[override]
        return super().decode(encoding, "backslashreplace")


class _LenientBuffer(bytearray):
    """A batch's bytes whose slices decode with escapes where they are not UTF-8."""

    def __getitem__(self, index: Any) -> Any:
        item = super().__getitem__(index)
        return _LenientSlice(item) if isinstance(index, slice) else item


class _LenientBatch(_DefaultRecordBatchPy):  # type: ignore[misc]
    """aiokafka's pure-Python reader of a record batch, header names read with escapes."""

    def __init__(self, buffer: bytes | memoryview) -> None:
        super().__init__(buffer)
        self._buffer = _LenientBuffer(self._buffer)

    def _maybe_uncompress(self) -> None:
        super()._maybe_uncompress()  # replaces the buffer with the records, uncompressed
        self._buffer = _LenientBuffer(self._buffer)


class _BatchReadAgainIfNeeded:
    """A batch as the compiled reader reads it, until that reader fails on a header name: then the
    rest of it is read from the same bytes by ``_LenientBatch``."""

    def __init__(self, batch: Any, raw: bytes | memoryview) -> None:
        self._batch = batch
        self._raw = raw
        self._next_offset: int | None = None  # past the last record handed on

    def __getattr__(self, name: str) -> Any:  # base_offset, validate_crc, is_control_batch, ...
        return getattr(self._batch, name)

    def __iter__(self) -> _BatchReadAgainIfNeeded:
        iter(self._batch)
        return self

    def __next__(self) -> Any:
        try:
            record = next(self._batch)
        except UnicodeDecodeError:
            self._batch = iter(_LenientBatch(self._raw))
            record = next(self._batch)
            while self._next_offset is not None and record.offset < self._next_offset:
                record = next(self._batch)
        self._next_offset = record.offset + 1
        return record


class MemoryRecordsReadingOddHeaderNames:
    """aiokafka's ``MemoryRecords`` (the compiled one), each batch able to be read again."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._records = MemoryRecords(data)
        self._position = 0

    def size_in_bytes(self) -> int:
        return self._records.size_in_bytes()

    def has_next(self) -> bool:
        return self._records.has_next()

    def next_batch(self) -> Any:
        batch = self._records.next_batch()
        if batch is None:
            return None
        start = self._position
        self._position = start + LOG_OVERHEAD + BATCH_LENGTH.unpack_from(self._data, start + LENGTH_AT)[0]
        if getattr(batch, "magic", 0) < 2:  # before headers existed (message format v0 and v1)
            return batch
        return _BatchReadAgainIfNeeded(batch, memoryview(self._data)[start : self._position])


def read_odd_header_names() -> None:
    """Every aiokafka consumer in this process reads such batches again (idempotent)."""
    fetcher.MemoryRecords = MemoryRecordsReadingOddHeaderNames  # type: ignore[misc]
