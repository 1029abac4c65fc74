"""The network map's relations are listed twice (the domain may not import the contracts, nor the
contracts the services): the two lists must stay the same."""

from __future__ import annotations

from typing import get_args

from contracts.network_support import Relation
from services.network_support.domain.network_map import RELATIONS


def test_the_domain_and_the_contract_know_the_same_relations() -> None:
    assert set(get_args(Relation)) == set(RELATIONS)
