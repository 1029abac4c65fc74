"""Every route of every service goes through the kit's one command path: proven route by route.

The routes are read from each app's OpenAPI, so a new route is tested (or fails for want of a
table entry) without anyone remembering it.  Each case builds its service's world through the
HTTP API (``command_path_world``) and calls the route as ``command_path_table`` says:

1. a command repeated with its ``Idempotency-Key`` (also several at once) answers as the first
   time and does nothing more; the key with another request is refused; the key in another
   municipality is another request;
2. another municipality's object answers exactly like an absent one;
3. no answer echoes a submitted value;
4. a read or a command whose answer carries case data answers 503 with nothing of it, and
   stores nothing, when its access record cannot be stored.

A read made by POST (``command_path_table.POST_READS``: the registerutdrag, whose number must
stay out of URLs) is walked as a read, with its body.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.security.command_path_checks import (
    MARKER,
    SERVICES,
    UNAVAILABLE,
    Refused,
    api_operations,
    body_of,
    case_data_in,
    comparable,
    echo_in,
    error_code,
    key,
    marked,
    strings,
)
from tests.security.command_path_table import (
    COMMANDS,
    KIT_COMMANDS,
    POST_READS,
    Call,
    call_for,
    entry,
    path_parameters,
)
from tests.security.command_path_world import (
    COMMAND_METHODS,
    MUNICIPALITIES,
    World,
    absent,
    headers,
    open_world,
)

AT_ONCE = 3  # the same keyed request sent this many times at once (a client retrying a slow answer)
OPERATIONS = api_operations()
ROUTES = [(service, method, path) for service, method, path, _ in OPERATIONS]
COMMAND_ROUTES = [route for route in ROUTES if route[1] in COMMAND_METHODS and route not in POST_READS]
READ_ROUTES = [route for route in ROUTES if route[1] == "GET" or route in POST_READS]
OBJECT_ROUTES = [route for route in ROUTES if path_parameters(route[2])]
QUERY_PARAMETERS = {
    (service, method, path): [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
    for service, method, path, op in OPERATIONS
}


def each(routes: list[tuple[str, str, str]]) -> Any:
    return pytest.mark.parametrize(("service", "method", "path"), routes, ids=[" ".join(r) for r in routes])


def test_every_service_is_walked_and_every_table_entry_names_one_of_its_command_routes() -> None:
    assert {service for service, _, _ in ROUTES} == SERVICES
    assert set(COMMANDS) - set(COMMAND_ROUTES) == set()
    assert set(POST_READS) - set(READ_ROUTES) == set()
    assert set(KIT_COMMANDS) - {(method, path) for _, method, path in COMMAND_ROUTES} == set()


# -- 1. idempotency ---------------------------------------------------------------------------
@each(COMMAND_ROUTES)
async def test_a_command_repeated_with_its_idempotency_key_answers_as_the_first_time_and_does_nothing_more(
    service: str, method: str, path: str, tmp_path: Path
) -> None:
    if entry(service, method, path) is None:
        pytest.fail(f"{service} {method} {path}: no entry in command_path_table.COMMANDS; say how to call it")
    async with open_world(service, tmp_path) as world:
        call, problems = call_for(world, method, path), []
        before = world.position()
        firsts = await asyncio.gather(
            *[world.send(method, call.url(path), call.caller, call.body, **key()) for _ in range(AT_ONCE)]
        )
        first = firsts[0]
        assert first.status_code == 404 if call.no_object else first.is_success, first.text
        if answers := [(r.status_code, body_of(r)) for r in firsts if body_of(r) != body_of(first)]:
            problems.append(f"sent {AT_ONCE} times at once it answered {first.text} but also {answers}")
        if world.effects_since(before).count("IdempotencyRecord.Recorded") != (0 if call.no_object else 1):
            problems.append(f"sent {AT_ONCE} times at once it stored {world.effects_since(before)}")
        logged = world.access_records_since(before)

        before = world.position()
        again = await world.send(method, call.url(path), call.caller, call.body, **key())
        if (again.status_code, body_of(again)) != (first.status_code, body_of(first)):
            problems.append(f"the repeat answered {again.status_code} {again.text}, first {first.text}")
        if effects := world.effects_since(before):
            problems.append(f"the repeat stored {effects}")
        if logged != AT_ONCE * (replay_logged := world.access_records_since(before)):  # a replay is a read
            problems.append(
                f"the repeat left {replay_logged} access records, {AT_ONCE} first answers {logged}"
            )
        if not call.no_object:  # the ops release: nothing is parked, nothing recorded under the key
            problems += await _another_request_under_the_key(world, call, method, path, first)
        assert not problems, problems


async def _another_request_under_the_key(
    world: World, call: Call, method: str, path: str, first: httpx.Response
) -> list[str]:
    problems = []
    before = world.position()
    if call.alt_body is not None:
        reused = await world.send(method, call.url(path), call.caller, call.alt_body, **key())
    else:
        reused = await world.send(method, call.url(path, call.alt_params()), call.caller, call.body, **key())
    if (reused.status_code, error_code(reused)) != (422, "idempotency_key_reused"):
        problems.append(f"the key with another request answered {reused.status_code} {reused.text}")
    if effects := world.effects_since(before):
        problems.append(f"the key with another request stored {effects}")

    before = world.position()
    theirs = await world.send(method, call.url(path), call.other, call.body, **key())
    if "idempotent-replayed" in theirs.headers:
        problems.append(f"municipality {call.other} got the replay of {call.caller}'s answer")
    if body_of(theirs) == body_of(first) and not world.effects_since(before):
        problems.append(f"municipality {call.other} got {call.caller}'s first answer and had no effect")
    return problems


# -- 2. denied looks like absent -------------------------------------------------------------
@each(OBJECT_ROUTES)
async def test_another_municipalitys_object_answers_exactly_like_an_absent_one(
    service: str, method: str, path: str, tmp_path: Path
) -> None:
    differ = []
    async with open_world(service, tmp_path) as world:
        call = call_for(world, method, path)
        nothing = {name: absent(name) for name in call.params}
        # An answer may name the id it was asked about (a new object of the caller's own): compare
        # as if both had been asked about the same id.
        same_id = {value: call.params[name] for name, value in nothing.items() if len(value) >= 6}
        for municipality in sorted(set(MUNICIPALITIES) - {call.caller}):
            theirs = await world.send(method, call.url(path), municipality, call.body)
            missing = await world.send(method, call.url(path, nothing), municipality, call.body)
            if municipality in call.visible_to and theirs.status_code != 404:
                continue  # a partner may see what is shared with it; only its refusals must look absent
            if comparable(theirs, {}) != comparable(missing, same_id):
                differ.append(f"{municipality}: {comparable(theirs, {})} vs {comparable(missing, same_id)}")
            if shown := case_data_in(world, theirs) - set(call.params.values()):
                differ.append(f"{municipality} was shown {shown}")
    assert not differ, differ


# -- 3. no echo -------------------------------------------------------------------------------
@each(ROUTES)
async def test_no_answer_echoes_a_submitted_value(
    service: str, method: str, path: str, tmp_path: Path
) -> None:
    async with open_world(service, tmp_path) as world:
        call = call_for(world, method, path)
        names, queries = list(call.params), QUERY_PARAMETERS[(service, method, path)]
        variants = [(dict.fromkeys(names, MARKER), dict.fromkeys(queries, MARKER), marked(call.body), {})]
        variants += [({**call.params, name: MARKER}, call.query, call.body, {}) for name in names]
        variants += [(call.params, {**call.query, q: MARKER}, call.body, {}) for q in queries]
        variants += [(call.params, call.query, marked(call.body, at), {}) for at in strings(call.body)]
        variants += [(call.params, call.query, call.body, key(f"{MARKER} has spaces"))]
        variants += [(call.params, call.query, call.body, {"X-Access-Purpose": MARKER * 20})]
        echoes = []
        for params, query, body, extra in variants:
            response = await world.send(method, call.url(path, params, query), call.caller, body, **extra)
            if where := echo_in(response):
                echoes.append(f"{where} of {response.status_code} to {params} {query} {body} {extra}")
        if call.body is not None:  # a body that is not even JSON
            broken = json.dumps(marked(call.body))[:-1]
            response = await world.client.request(
                method, call.url(path), content=broken, headers=headers(call.caller)
            )
            if where := echo_in(response):
                echoes.append(f"{where} of {response.status_code} to the broken body {broken}")
    assert not echoes, echoes


# -- 4. the access log fails closed ----------------------------------------------------------
@each(READ_ROUTES)
async def test_a_read_of_case_data_answers_503_with_none_of_it_when_its_access_record_cannot_be_stored(
    service: str, method: str, path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with open_world(service, tmp_path) as world:
        call = call_for(world, method, path)
        before = world.position()
        read = await world.send(method, call.url(path), call.caller, call.body)
        assert read.status_code == (404 if call.no_object else 200), read.text
        assert world.effects_since(before) == [], "a read stores nothing but access records"
        if not world.access_records_since(before):
            assert not case_data_in(world, read), "an answer with case data and no access record"
            return  # not a read of case data in this world
        refused = Refused()
        monkeypatch.setattr(world.store, "record_access", refused)
        before = world.position()
        failed = await world.send(method, call.url(path), call.caller, call.body)
        assert refused.attempts and (failed.status_code, failed.json()) == (503, UNAVAILABLE), failed.text
        assert not case_data_in(world, failed) and world.position() == before


@each(COMMAND_ROUTES)
async def test_a_command_whose_answer_carries_case_data_answers_503_and_does_nothing_when_its_access_record_cannot_be_stored(
    service: str, method: str, path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with open_world(service, tmp_path) as world:
        call = call_for(world, method, path)
        refused = Refused()
        monkeypatch.setattr(world.store, "record_access", refused)
        before = world.position()
        answer = await world.send(method, call.url(path), call.caller, call.body, **key("k-refused"))
        if not refused.attempts:  # its answer carries no case data
            assert answer.status_code == 404 if call.no_object else answer.is_success, answer.text
            assert not case_data_in(world, answer), "an answer with case data and no access record"
            return
        assert (answer.status_code, answer.json()) == (503, UNAVAILABLE), answer.text
        assert world.position() == before, world.effects_since(before)

        monkeypatch.undo()  # the store is back: the key was not spent on the refused attempt
        retried = await world.send(method, call.url(path), call.caller, call.body, **key("k-refused"))
        assert retried.is_success and "idempotent-replayed" not in retried.headers, retried.text

        monkeypatch.setattr(world.store, "record_access", Refused())  # a replay is a read of case data too
        before = world.position()
        replay = await world.send(method, call.url(path), call.caller, call.body, **key("k-refused"))
        assert (replay.status_code, replay.json()) == (503, UNAVAILABLE), replay.text
        assert world.position() == before, world.effects_since(before)
