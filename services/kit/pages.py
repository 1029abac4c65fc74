"""One way to page a list (ARCHITECTURE §2.9): ``limit`` and an opaque ``cursor`` in, a page out.

A list route takes ``page: Paging`` (``services.kit.params``: ``limit`` 1-200, default 50;
``cursor`` at most 200 characters) and passes the ``PageRequest`` to its use case.  The use
case picks the page from its index rows, in ascending order of a sort key, *before* it loads
any aggregate (``PageRequest.select``), then loads only the chosen ones (``Paged.map``): a
page costs O(limit) store reads however large the store grows.  The view is ``Page[ItemView]``:
``{"items": [...], "next_cursor": "<opaque>" | null}``.

The cursor is the sort key of the page's last item (creation position, a notification id,
``[start, id]``...) as JSON in URL-safe base64: never an offset, so items added between two
pages neither repeat nor push others out.  It is not a secret: it holds a position or the
caller's own data, never another municipality's.  A cursor this module did not make is
``InvalidCursor`` (422 ``invalid_cursor``; its text is never echoed).  The access log gets
one record per case the page carries (``Paged.case_refs``), however many of its items are
about that case.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Self, TypeVar

from pydantic import BaseModel, Field

from services.kit.cases import CaseRef, case_refs, unique

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_CURSOR_LENGTH = 200
MAX_CURSOR_INT = 2**53  # the largest int every store and JSON reader holds exactly
_CURSOR_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,200}$")

T = TypeVar("T")
U = TypeVar("U")
V = TypeVar("V")


class InvalidCursor(ValueError):
    """A cursor no page of this list gave out."""

    def __init__(self) -> None:
        super().__init__("the cursor is not one a page of this list gave out: start again without it")


def encode_cursor(key: Any) -> str | None:
    """The cursor for the page after the one whose last item has sort ``key`` (None: no more)."""
    if key is None:
        return None
    text = json.dumps(_plain(key), separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def decode_cursor(cursor: str | None) -> Any:
    """The sort key a cursor names; None for no cursor; InvalidCursor for anything else."""
    if cursor is None:
        return None
    if not _CURSOR_SHAPE.fullmatch(cursor):
        raise InvalidCursor()
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError, RecursionError):
        raise InvalidCursor() from None
    if not _is_key(key):
        raise InvalidCursor()
    return key


@dataclass(frozen=True)
class Paged(Generic[T]):
    """What a paging use case returns: at most ``limit`` items and the sort key of the last
    one when more may follow (None on the last page)."""

    items: Sequence[T]
    next_key: Any = None

    def map(self, load: Callable[[T], U]) -> Paged[U]:
        """The same page with each item loaded or turned into another (the cursor stays)."""
        return Paged([load(item) for item in self.items], self.next_key)

    def case_refs(self) -> list[CaseRef]:
        """Each case the page's items carry, once: one access record per case per page."""
        return unique(ref for item in self.items for ref in case_refs(item))


@dataclass(frozen=True)
class PageRequest:
    """Which page a caller asked for: at most ``limit`` items after sort key ``after``."""

    limit: int = DEFAULT_LIMIT
    after: Any = None

    def position_after(self, first: int = 0) -> int:
        """The cursor of a list keyed by a position (an int): ``first`` for the first page."""
        if self.after is None:
            return first
        if not isinstance(self.after, int):
            raise InvalidCursor()
        return max(self.after, first)

    def select(self, rows: Iterable[T], key: Callable[[T], Any]) -> Paged[T]:
        """Up to ``limit`` of ``rows`` (in ascending order of ``key``) that come after the cursor.

        ``key`` gives an int, a str or a flat list (or tuple) of them.  Only the rows are walked
        here: load aggregates afterwards, for the chosen ones only (``Paged.map``).
        """
        chosen: list[T] = []
        for row in rows:
            if self.after is not None and not _comes_after(_plain(key(row)), self.after):
                continue
            if len(chosen) == self.limit:
                return Paged(chosen, _plain(key(chosen[-1])))
            chosen.append(row)
        return Paged(chosen, None)


class Page(BaseModel, Generic[V]):
    """A page of a list: ``Page[ItemView].of(paged)`` makes each item with ``ItemView.of``."""

    items: list[V]
    next_cursor: str | None = Field(
        description="pass it as `cursor` to get the next page; null on the last page"
    )

    @classmethod
    def of(cls, page: Paged[Any]) -> Self:
        return cls(**cls.fields_of(page))

    @classmethod
    def fields_of(cls, page: Paged[Any], make: Callable[[Any], Any] | None = None) -> dict[str, Any]:
        """``items`` (each made by ``make``, else by the item view's ``of``) and ``next_cursor``."""
        made = make or cls.item_view().of
        return {"items": [made(item) for item in page.items], "next_cursor": encode_cursor(page.next_key)}

    @classmethod
    def item_view(cls) -> Any:
        for model in cls.__mro__:
            args = getattr(model, "__pydantic_generic_metadata__", {}).get("args")
            if args:
                return args[0]
        raise TypeError(f"{cls.__name__} is not a Page of an item view")


def _comes_after(key: Any, after: Any) -> bool:
    try:
        return bool(key > after)
    except TypeError:  # a key of another shape than this list's
        raise InvalidCursor() from None


def _plain(key: Any) -> Any:
    return [_plain(part) for part in key] if isinstance(key, list | tuple) else key


def _is_key(value: Any) -> bool:
    """An int, a str, or a flat list of them: the shapes of the lists' sort keys."""
    if isinstance(value, list):
        return all(_is_scalar(part) for part in value)
    return _is_scalar(value)


def _is_scalar(value: Any) -> bool:
    """A str, or an int a store can hold and JSON can carry exactly (a cursor is the caller's to
    forge: one holding 2**63 reached SQLite and answered 500)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return isinstance(value, str)
    return abs(value) <= MAX_CURSOR_INT
