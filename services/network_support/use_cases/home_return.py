"""Home-return use cases: the phases of a child's way home, any number of times, one at a time."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound, CaseRef
from services.kit.index import CatchUpIndex
from services.network_support.commands import PhaseMove
from services.network_support.domain.home_return import HomeReturnProcess, PhaseNotAllowed
from services.network_support.domain.placement_follow_up import PlacementFollowUp
from services.network_support.use_cases.base import NetworkSupportBase
from services.network_support.use_cases.placement_inquiries import PlacementFacts


def _fold_placements_of_case(rows: dict[Any, list[UUID]], e: Any) -> None:
    """Each case's placements (their follow-ups, whichever record opened one), by (municipality, case
    id); appended to, not copied, so a case's n placements cost n to fold, not n squared."""
    rows.setdefault((e.municipality, e.case_id), []).append(e.originator_id)


class HomeReturnUseCases(NetworkSupportBase):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        # A return home told after the case's next placement: its end looks for that placement here.
        self._case_placements = CatchUpIndex(
            self, _fold_placements_of_case, events=(PlacementFollowUp.Opened,)
        )

    def home_returns(self, caller: Caller, case_id: str) -> list[HomeReturnProcess]:
        """Every process of the case, oldest first; none is the one 404."""
        processes = self._processes_of(caller.municipality, case_id)
        if not processes:
            raise CaseDataNotFound(CaseRef(caller.municipality, case_id))
        return processes

    def home_return(self, caller: Caller, case_id: str) -> HomeReturnProcess:
        """The open process, else the latest: there is at most one open, and it is the latest."""
        return self.home_returns(caller, case_id)[-1]

    def move_home_return(self, caller: Caller, case_id: str, move: PhaseMove) -> HomeReturnProcess:
        """Moves the open process; the case's very first move begins its first process."""
        self._happened(move.on)
        processes = self._processes_of(caller.municipality, case_id)
        with self._refusals_told(CaseRef(caller.municipality, case_id)):
            if not processes:
                process = HomeReturnProcess.begin(
                    caller.municipality, case_id, move.phase, move.on, 1, move.reason
                )
            else:
                process = processes[-1]
                process.move_to(move.phase, move.on, move.reason)
        self.save(process)
        return process

    def open_home_return(self, caller: Caller, case_id: str, move: PhaseMove) -> HomeReturnProcess:
        """A new process, once the latest has finished (409 naming it while it is open).  What
        the request alone gets wrong is said before anything of the case is looked at."""
        self._happened(move.on)
        if move.phase in ("completed", "broken_off"):
            raise PhaseNotAllowed("a new process begins in preparation, trial or follow_up")
        processes = self._processes_of(caller.municipality, case_id)
        if processes:
            with self._refusals_told(processes[-1]):
                processes[-1].require_finished()
        number = len(processes) + 1
        process = HomeReturnProcess.begin(caller.municipality, case_id, move.phase, move.on, number)
        self.save(process)
        return process

    def _processes_of(self, municipality: str, case_id: str) -> list[HomeReturnProcess]:
        """Processes are numbered from 1 without gaps: read them until the next is absent."""
        processes: list[HomeReturnProcess] = []
        while found := self._find(HomeReturnProcess.id_for(municipality, case_id, len(processes) + 1)):
            processes.append(found)
        return processes

    def _placed_again(self, follow_up: PlacementFollowUp) -> list[HomeReturnProcess]:
        """The case's processes this placement's dates, as stored (the last told), move: the latest
        broken off if they place the child again (``placed_again``); back in its follow-up if this
        placement broke it off and its dates, corrected since, no longer do (``reopened``), unless
        another placement of the case does, whose own return home then opens the next (``_replayed``)."""
        case, placement_id = (follow_up.municipality, follow_up.case_id), follow_up.placement_id
        processes = self._processes_of(*case)
        latest = processes[-1] if processes else None
        told = (follow_up.started_on, placement_id, follow_up.told_end_on)
        if latest is None or latest.placed_again(*told):
            return [latest] if latest is not None else []
        if not latest.reopened(*told):
            return []
        self._placed_by_others(latest, *case, placement_id)
        return [latest, *self._replayed(processes, follow_up)]

    def _replayed(
        self, processes: list[HomeReturnProcess], told: PlacementFollowUp
    ) -> list[HomeReturnProcess]:
        """Returns home the break-off since undone had hidden (``broken_off_since``: told late): each
        placement that breaks the latest follow-up off now and ended with the child home opens its
        own, as had the records come in date order (``told``: the placement corrected, not saved yet)."""
        moved: list[HomeReturnProcess] = []
        while (latest := processes[-1]).outcome == "broken_off" and latest.broken_by is not None:
            by = self._find(PlacementFollowUp.id_for(latest.municipality, latest.broken_by))
            if by is None or not by.went_home or any(p.took_home(by.placement_id) for p in processes):
                break
            facts = PlacementFacts(
                by.municipality, by.case_id, by.placement_id, by.placement_type, by.started_on
            )
            opened = [
                p for p in self._went_home(facts, by.told_end_on, processes, told) if p not in processes
            ]
            if not opened:
                break
            moved, processes = [*moved, *opened], [*processes, *opened]
        return moved

    def _went_home(
        self,
        placement: PlacementFacts,
        ended_on: date,
        processes: list[HomeReturnProcess] | None = None,
        told: PlacementFollowUp | None = None,
    ) -> list[HomeReturnProcess]:
        """The processes this placement's end moves: the open one into its follow-up, else a new
        retroactive one; and one still in the follow-up of an earlier return, which this placement
        broke off (its start unseen, or seen before that return).  A follow-up this end begins is
        broken off at once by another placement of the case the child was in by then, whichever
        record came first (``_other_placements``).

        Nothing when that has been recorded already: a process it moved (a redelivery), one a
        case worker completed during this placement (the same return, told twice), or one broken off
        since the child went home (told late: placed again since, so no follow-up to open).
        """
        municipality, case_id, placement_id, _, started_on = placement
        processes = processes or self._processes_of(municipality, case_id)  # or as moved, not saved yet
        if any(p.took_home(placement_id) for p in processes):
            return []
        latest = processes[-1] if processes else None
        if latest is not None and (
            latest.completed_by_hand_since(started_on) or latest.broken_off_since(ended_on, placement_id)
        ):
            return []
        broken = (
            [latest] if latest is not None and latest.placed_again(started_on, placement_id, ended_on) else []
        )
        if latest is None or latest.is_finished:
            latest = HomeReturnProcess(
                municipality=municipality,
                case_id=case_id,
                on=ended_on,
                retroactive=True,
                number=len(processes) + 1,
            )
        latest.returned_home(ended_on, placement_id)
        if latest.home_by == placement_id:  # followed up from this end: was the child placed by then?
            self._placed_by_others(latest, municipality, case_id, placement_id, told)
        return [*broken, latest]  # one broken off is finished: ``latest`` is then a new one

    def _placed_by_others(
        self,
        process: HomeReturnProcess,
        municipality: str,
        case_id: str,
        placement_id: str,
        told: PlacementFollowUp | None = None,
    ) -> None:
        """The follow-up broken off by the first other placement of the case that placed the child."""
        for other in self._other_placements(municipality, case_id, placement_id, told):
            process.placed_again(other.started_on, other.placement_id, other.told_end_on)

    def _other_placements(
        self, municipality: str, case_id: str, placement_id: str, told: PlacementFollowUp | None = None
    ) -> list[PlacementFollowUp]:
        """The case's other placements as their records told them so far (stored, or opened earlier in
        this unit of work: a batch of records, which the index does not see; ``told``, as this record
        leaves it), earliest start first: the first that placed the child again breaks the follow-up
        off, as it would in any order."""
        work, case = self.current_work(), (municipality, case_id)
        stored = self._case_placements.get(case, work if work is not None else object()) or ()
        pending = (self._pending_aggregates() or {}).values()
        made_now = [
            a.id for a in pending if isinstance(a, PlacementFollowUp) and (a.municipality, a.case_id) == case
        ]
        in_hand = {told.id: told} if told is not None else {}
        found = [in_hand.get(i) or self.repository.get(i) for i in dict.fromkeys((*stored, *made_now))]
        return sorted((f for f in found if f.placement_id != placement_id), key=lambda f: f.started_on)
