"""Home-return use cases: the phases of a child's way home."""

from __future__ import annotations

from services.kit.auth import Caller
from services.network_support.commands import PhaseMove
from services.network_support.domain.home_return import HomeReturnProcess
from services.network_support.use_cases.base import NetworkSupportBase


class HomeReturnUseCases(NetworkSupportBase):
    def home_return(self, caller: Caller, case_id: str) -> HomeReturnProcess:
        return self._of_case(HomeReturnProcess, caller, case_id)

    def move_home_return(self, caller: Caller, case_id: str, move: PhaseMove) -> HomeReturnProcess:
        """The first move begins the process."""
        process = self._find(HomeReturnProcess.id_for(caller.municipality, case_id))
        if process is None:
            process = HomeReturnProcess.begin(caller.municipality, case_id, move.phase, move.on)
        else:
            process.move_to(move.phase, move.on)
        self.save(process)
        return process
