"""A referral's case worker assigned before its ``received`` record came (ADR 0026, addendum "a case
worker assigned before the referral").

Such an assignment has nothing to move into yet: it is kept (``EarlyCaseWorker``, stored in the
record's unit of work, so attributed to its source and never lost to a restart), and once the
referral has convened its staff meeting, or noted it unbooked, the case worker is moved in there in
the same unit of work, exactly as the assignment would have moved them had it come second: through
their ``PersonWeek``, judged at the meeting's time, the role named for the coordinator when they
cannot take it.  A repeated record has no second effect (the kit's tracking), and the note is taken
up once.
"""

from __future__ import annotations

from datetime import datetime

from services.scheduling.domain.early_call_off import EarlyCallOff
from services.scheduling.domain.early_case_worker import EarlyCaseWorker
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.unbooked_staff_meeting import UnbookedStaffMeeting
from services.scheduling.unbooked import UnbookedStaffMeetingUseCases


class EarlyCaseWorkerUseCases(UnbookedStaffMeetingUseCases):
    def assign_case_worker(
        self, referral_id: str, target: str, municipality: str, case_worker_id: str
    ) -> None:
        """Moved into the referral's staff meeting (or its unbooked note); kept when scheduling has
        neither yet.  Only a referral to the Network Centre ever has a staff meeting."""
        heard = self.exists(Meeting.id_for_referral(referral_id)) or self.exists(
            UnbookedStaffMeeting.id_for(municipality, referral_id)
        )
        if heard:
            self.move_case_worker_invitation(referral_id, municipality, case_worker_id)
        elif target == "network_centre" and not self.exists(EarlyCallOff.id_for(municipality, referral_id)):
            self._keep(municipality, referral_id, case_worker_id)  # a called-off one never convenes

    def convene_staff_meeting(
        self,
        referral_id: str,
        target: str,
        case_id: str,
        municipality: str,
        child_status: str,
        case_worker_id: str,
        referred_at: datetime,
        protected_identity: bool = False,
    ) -> None:
        """Convened as the referral says, then a case worker assigned earlier moved in."""
        super().convene_staff_meeting(
            referral_id,
            target,
            case_id,
            municipality,
            child_status,
            case_worker_id,
            referred_at,
            protected_identity,
        )
        early = self._get(EarlyCaseWorker.id_for(municipality, referral_id))
        if not isinstance(early, EarlyCaseWorker) or early.taken_up:
            return
        if self.exists(EarlyCallOff.id_for(municipality, referral_id)):
            return  # it convened nothing: there is nothing to move them into (ADR 0026)
        self.move_case_worker_invitation(referral_id, municipality, early.case_worker_id)
        early.take_up()
        self.save(early)

    def _keep(self, municipality: str, referral_id: str, case_worker_id: str) -> None:
        early = self._get(EarlyCaseWorker.id_for(municipality, referral_id))
        if isinstance(early, EarlyCaseWorker):
            early.reassign(case_worker_id)
        else:
            early = EarlyCaseWorker(municipality, referral_id, case_worker_id)
        self.save(early)
