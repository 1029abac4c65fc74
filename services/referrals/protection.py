"""Whose protected identity a municipality's referrals have said: a child's, by personal identity
number, and a case's.  Once said, every later referral there of that child or case is protected:
protection is decided for the person (by the Tax Agency), so a case worker leaving the box
unticked on the next referral does not undo it.  It never crosses municipalities."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from services.kit.index import CatchUpIndex
from services.kit.store import ServiceApplication
from services.referrals.domain.referral import Referral

PROTECTION_EVENTS = (Referral.Received, Referral.ChildPlaced)
Key = tuple[str, str, str]  # ("case", municipality, case id) or ("child", municipality, pin)


def _fold_protection() -> Callable[[dict[Key, bool], Any], None]:
    keys_of: dict[UUID, tuple[Key, Key]] = {}

    def fold(rows: dict[Key, bool], e: Any) -> None:
        if isinstance(e, Referral.Received):
            keys = keys_of[e.originator_id] = (
                ("case", e.municipality, e.case_id),
                ("child", e.municipality, e.child_pin),
            )
        elif isinstance(e, Referral.ChildPlaced):
            keys = keys_of.get(e.originator_id, ())
        else:
            return
        if e.protected_identity:
            rows.update(dict.fromkeys(keys, True))

    return fold


class ProtectedChildren:
    def __init__(self, app: ServiceApplication) -> None:
        self._app = app
        self._said = CatchUpIndex(app, _fold_protection(), events=PROTECTION_EVENTS)

    def said_of(self, municipality: str, case_id: str, pin: str) -> bool:
        """Whether a stored referral of ``municipality`` said the case's or the child's identity
        is protected (caught up once per unit of work)."""
        work = self._app.current_work() or object()
        keys = (("case", municipality, case_id), ("child", municipality, pin))
        return any(self._said.get(key, work) for key in keys)
