"""The kit's one path for HTTP commands and reads (ARCHITECTURE §2.1, ADR 0014).

A route names a use case, its arguments, the view of its result and the roles
that may call it; everything else happens here, once:

* roles (the caller is authenticated by the middleware before the body is read), then whether
  the service's own records still take anything from the caller (``refuse_caller``);
* ``Idempotency-Key``: a repeat of the same request replays the first response,
  a different request under the same key is refused (422), keys are scoped per
  municipality;
* the use case runs in one unit of work: its events, who caused them and why
  (the JWT ``sub`` and ``X-Access-Purpose``, printable UTF-8), the access record of the case data
  the response carries and the idempotency record are stored in one transaction;
* a read logs its access record before any data leaves; if that write fails
  the caller gets 503 and no data (fail-closed);
* absent and another municipality's data get the same 404, and the attempt is
  logged in that case's access log;
* a command whose write lost a race to another writer (``IntegrityError``) runs again on what
  the other stored, a few times, as the applier does a record: nothing of it was stored;
* a command refused by a rule of the caller's own case data (``CaseRefusal``) tells of
  that case: the refusal is logged as a read before it is answered (503 if it cannot be).

A use case is ``use_case(app, caller, *args)``: get → call → save, returning the
aggregate (or read object) the view is made of.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Annotated, Any, Protocol

from fastapi import Depends, Header, Request, Response
from pydantic import BaseModel

from services.kit.access_logging import AccessLogging
from services.kit.attribution import Attribution
from services.kit.auth import Caller
from services.kit.callers import current_caller
from services.kit.cases import CaseDataNotFound, CaseRef, CaseRefusal, case_refs
from services.kit.command_headers import DEFAULT_PURPOSE, access_purpose, checked_idempotency_key
from services.kit.domain.case_access import CaseAccess
from services.kit.domain.idempotency import IdempotencyRecord
from services.kit.errors import not_found, require_roles
from services.kit.runtime import ServiceRuntime
from services.kit.store import ServiceApplication
from services.kit.write_races import worth_running_again

UseCase = Callable[..., Any]


class View(Protocol):
    """A response model made from a use case's result."""

    @classmethod
    def of(cls, result: Any) -> BaseModel: ...


class CommandPath(AccessLogging):
    """One request's way through the kit: who, why, which key; see the module's docstring."""

    def __init__(
        self, request: Request, response: Response, caller: Caller, purpose: str, key: str | None, body: bytes
    ) -> None:
        self.runtime: ServiceRuntime = request.app.state.runtime
        self.app: ServiceApplication = self.runtime.app
        self.caller = caller
        self.purpose = purpose
        self._response = response
        self._resource = f"{request.method} {getattr(request.scope.get('route'), 'path', request.url.path)}"
        self._key = key
        self._fingerprint = hashlib.sha256(
            f"{request.method} {request.url.path}?{request.url.query}\n".encode() + body
        ).hexdigest()

    # -- commands -------------------------------------------------------------------------
    def command(
        self, use_case: UseCase, *args: Any, view: type[View], roles: tuple[str, ...], status: int = 200
    ) -> Any:
        """Run a command through the kit: replay, or the use case, its access and key records at once."""
        self._admit(roles)
        if (replayed := self._replay()) is not None:
            return replayed
        attempt = 1
        while True:
            try:
                body = self._run_once(use_case, args, view, status)
                break
            except Exception as error:
                # The same key's first request may have committed meanwhile: its write conflicts with
                # ours (IntegrityError), or its effect now breaks a rule ("already revoked", "no such
                # member"). Answer as it did, not with the error its own effect caused.
                if (replayed := self._replay()) is not None:
                    return replayed
                if isinstance(error, CaseRefusal):
                    raise self.told(error) from None
                # A write race lost: nothing stored, so run it on what the other stored (write_races).
                if not worth_running_again(error, attempt, self._lost_access_position):
                    raise
                attempt += 1
        self._response.status_code = status
        return body

    def _lost_access_position(self, error: Exception) -> bool:
        return self.access_position_taken(error, self._attempted)

    def _admit(self, roles: tuple[str, ...]) -> None:
        """The caller's roles, then whether the service still takes anything from them: before a
        replay too, as a replayed answer carries case data like a fresh one."""
        require_roles(self.caller, *roles)
        self.app.refuse_caller(self.caller)

    def _run_once(self, use_case: UseCase, args: tuple[Any, ...], view: type[View], status: int) -> BaseModel:
        self._attempted: list[CaseAccess] = []
        with self.app.acting_as(Attribution(self.caller.subject, self.purpose)):
            try:
                with self.app.unit_of_work():
                    result = use_case(self.app, self.caller, *args)
                    body = view.of(result)
                    refs = case_refs(result)
                    self._attempted = self._log(refs, "granted")
                    if self._key is not None:
                        self.app.save(self._key_record(self._key, body, refs, status))
            except CaseDataNotFound as missing:
                self._log_missing(missing)
                raise not_found() from None
        return body

    def _key_record(self, key: str, body: BaseModel, refs: list[CaseRef], status: int) -> IdempotencyRecord:
        cases = tuple(f"{ref.municipality}/{ref.case_id}" for ref in refs)
        response = body.model_dump_json()
        return IdempotencyRecord(self._scope, key, self._fingerprint, "", status, response, cases)

    def _replay(self) -> Response | None:
        """The first response to this key, logged again as a read of the cases it carries."""
        if self._key is None:
            return None
        record = self.app.idempotency_record(IdempotencyRecord.id_for(self._scope, self._key))
        if record is None:
            return None
        record.check_same_request(self._fingerprint)
        refs = [CaseRef(*case.split("/", 1)) for case in record.cases]
        with self.app.acting_as(Attribution(self.caller.subject, self.purpose)):
            self._log(refs, "granted")
        return Response(
            content=record.response or "{}",
            status_code=record.status,
            media_type="application/json",
            headers={"Idempotent-Replayed": "true"},
        )

    @property
    def _scope(self) -> str:
        return self.caller.municipality

    # -- reads ----------------------------------------------------------------------------
    def query(
        self,
        use_case: UseCase,
        *args: Any,
        view: type[View],
        roles: tuple[str, ...],
        purpose: str | None = None,
    ) -> Any:
        """Read through the kit: the access record is stored before any data is returned.

        ``purpose`` fixes why, whatever ``X-Access-Purpose`` says: a read that is only ever
        made for one reason (a registerutdrag, ADR 0018) is logged as that.
        """
        self._admit(roles)
        self.purpose = purpose or self.purpose
        try:
            result = use_case(self.app, self.caller, *args)
        except CaseDataNotFound as missing:
            self._log_missing(missing)
            raise not_found() from None
        body = view.of(result)
        with self.app.acting_as(Attribution(self.caller.subject, self.purpose)):
            self._log(case_refs(result), "granted")
        return body


async def command_path(
    request: Request,
    response: Response,
    caller: Annotated[Caller, Depends(current_caller)],
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
    purpose: Annotated[str | None, Header(alias="X-Access-Purpose")] = None,
) -> CommandPath:
    key = checked_idempotency_key(idempotency_key)
    why = access_purpose(purpose) if purpose is not None else DEFAULT_PURPOSE
    body = await request.body() if key is not None else b""
    return CommandPath(request, response, caller, why, key, body)


Kit = Annotated[CommandPath, Depends(command_path)]
"""The dependency every route takes: ``kit.command(...)`` or ``kit.query(...)``."""
