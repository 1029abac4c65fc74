"""``Idempotency-Key`` for HTTP commands: the effect happens once.

The record of a keyed command is saved in the same transaction as the
command's events; a repeat with the same key finds it and gets the same
status and the resource's representation instead of a second effect.  The
same key with a different request is refused with 422.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Annotated

from eventsourcing.application import AggregateNotFoundError
from fastapi import Depends, Header, Request

from services.kit.auth import Caller
from services.kit.domain.idempotency import IdempotencyRecord
from services.kit.http import ApiError, current_caller
from services.kit.store import ServiceApplication

_KEY_SHAPE = re.compile(r"^[\x21-\x7e]{1,200}$")


@dataclass(frozen=True)
class IdempotentRequest:
    scope: str
    key: str
    fingerprint: str

    def record(self, resource_id: object, status: int) -> IdempotencyRecord:
        return IdempotencyRecord(self.scope, self.key, self.fingerprint, str(resource_id), status)

    def previous(self, app: ServiceApplication) -> IdempotencyRecord | None:
        try:
            record: IdempotencyRecord = app.repository.get(IdempotencyRecord.id_for(self.scope, self.key))
        except AggregateNotFoundError:
            return None
        record.check_same_request(self.fingerprint)
        return record


async def idempotent_request(
    request: Request,
    caller: Annotated[Caller, Depends(current_caller)],
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> IdempotentRequest | None:
    if idempotency_key is None:
        return None
    if not _KEY_SHAPE.fullmatch(idempotency_key):
        raise ApiError(
            400, "invalid_idempotency_key", "Idempotency-Key must be 1-200 visible ASCII characters"
        )
    body = await request.body()
    digest = hashlib.sha256(request.method.encode() + b" " + request.url.path.encode() + b"\n" + body)
    scope = f"{caller.municipality}:{caller.subject}"
    return IdempotentRequest(scope, idempotency_key, digest.hexdigest())


IdempotencyDep = Annotated[IdempotentRequest | None, Depends(idempotent_request)]
