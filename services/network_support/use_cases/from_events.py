"""Use cases driven by placement records: follow-up clocks, network placement inquiries and home
return; the kit runs each in a unit of work with its tracking (the plans' are ``plans_from_events``)."""

from __future__ import annotations

from datetime import date, datetime

from services.kit.domain.swedish_time import swedish_day
from services.network_support.domain.network_placement_inquiry import (
    NETWORK_PLACEMENT_MADE,
    PLACEMENT_ENDED,
    NetworkPlacementInquiry,
)
from services.network_support.domain.placement_follow_up import PlacementFollowUp
from services.network_support.use_cases.home_return import HomeReturnUseCases
from services.network_support.use_cases.placement_inquiries import (
    KINSHIP_HOME,
    NO_INQUIRY,
    Opening,
    PlacementFacts,
    PlacementInquiries,
)

__all__ = ["FromEventsUseCases", "PlacementFacts"]

HOME_RETURN = "home_return"  # the end reason that takes the child home


class FromEventsUseCases(HomeReturnUseCases, PlacementInquiries):
    def placement_started(
        self,
        municipality: str,
        case_id: str,
        placement_id: str,
        placement_type: str,
        started_on: date,
        school_change: bool,
        case_worker_id: str | None = None,
        protected_identity: bool = False,
    ) -> None:
        """Open the follow-up clocks and, unless the child is already in a network home or is
        protected, the inquiry.  Delivered again, it may date the start anew, and if it says the
        child is protected, it shuts an open inquiry; after a change opened the follow-up, it opens
        the clocks from the start (and the inquiry).  The case worker it names becomes responsible,
        as one a change names does.  A change of school it says, where the first did not, opens the
        school clock from the start; none, where the first said one, withdraws that clock while it
        is open, or moves it to the day of a school change a change said meanwhile (ADR 0033).  A
        child placed again breaks off the follow-up of a return home; a start corrected so that it
        no longer did undoes that (``_placed_again``)."""
        placement = PlacementFacts(municipality, case_id, placement_id, placement_type, started_on)
        follow_up = self._find(PlacementFollowUp.id_for(municipality, placement_id))
        if follow_up is None:
            follow_up, opening = self._opened(
                placement, school_change, case_worker_id, protected=protected_identity
            )
            self.save(follow_up, *opening, *self._placed_again(follow_up))  # home before: it did not last
            self._placement_said_protection(placement, protected_identity)
            return
        opening = NO_INQUIRY
        inquiry_id = NetworkPlacementInquiry.id_for(municipality, placement_id)
        if not follow_up.start_seen and follow_up.ended_on is None and not self.exists(inquiry_id):
            opening = self._inquiry_for(placement, follow_up.protected_identity or protected_identity)
        follow_up.date_start(started_on, self.today(), seen=True)
        follow_up.say_type(placement_type, None, self.today())  # the start's, corrected or late
        follow_up.assign_case_worker(case_worker_id)  # a late start is the first to name one
        if school_change and not follow_up.school_change:  # a start corrected to a change of school
            follow_up.change_school(started_on, by_start=True)
        elif not school_change:  # a start corrected to none: the clock it opened was never due
            follow_up.withdraw_school_change()
        self.save(follow_up, *opening, *self._placed_again(follow_up))  # or a start corrected since
        self._placement_said_protection(placement, protected_identity)  # shuts an inquiry still open

    def placement_changed(
        self,
        placement: PlacementFacts,
        school_change: bool,
        changed_at: datetime,
        case_worker_id: str | None = None,
        protected_identity: bool = False,
    ) -> None:
        """A change that moves the child's school opens the school clock (one open at a time); one
        naming another case worker makes them responsible for the clocks; one to a natverkshem
        concludes the open inquiry as ``network_placement_made``, one saying the child is protected
        (an identity, protected housing) as ``child_protected``, and the case stays protected."""
        inquiry = None
        if placement.placement_type == KINSHIP_HOME:
            inquiry = self._inquiry_ended(
                placement, NETWORK_PLACEMENT_MADE, f"placement changed to {KINSHIP_HOME}"
            )
        follow_up = self._changed_follow_up(placement, school_change, changed_at, case_worker_id)
        self.save(follow_up, inquiry)
        self._placement_said_protection(placement, protected_identity)

    def _changed_follow_up(
        self,
        placement: PlacementFacts,
        school_change: bool,
        changed_at: datetime,
        case_worker_id: str | None,
    ) -> PlacementFollowUp:
        """The follow-up as the change leaves it: its start dated anew if the change says another
        day, and the type it says from its day (``temporary_care``).  A placement whose start was
        not seen (it started before this service listened, or its start is late) is opened unseen,
        with only the change's clocks (school, temporary care), so a late start finds its type.
        ``changed_at``: the change record's time; its Swedish day is the change's (of two changes on
        one day, the later decides)."""
        changed_on = swedish_day(changed_at)
        follow_up = self._find(PlacementFollowUp.id_for(placement.municipality, placement.placement_id))
        if follow_up is None:
            follow_up, _ = self._opened(placement, False, case_worker_id, start_seen=False)
        follow_up.date_start(placement.started_on, self.today())
        follow_up.say_type(placement.placement_type, changed_on, self.today(), changed_at)
        follow_up.assign_case_worker(case_worker_id)
        if school_change:
            follow_up.change_school(changed_on)
        return follow_up

    def placement_ended(
        self, placement: PlacementFacts, end_reason: str, ended_on: date, protected_identity: bool = False
    ) -> None:
        """An ended placement stops its clocks and concludes its open inquiry as ``placement_ended``;
        a child who went home moves a home-return process into its follow-up, which staff complete
        when that work is done.  Any end of a placement begun since a follow-up began, or that ran past
        the day an end began it, breaks it off (the start seen first, or the end's own start unseen
        or late).  An end told again with another day is the day the home-return rules judge by
        from then on (the last told wins; the clocks and reports keep the first, ADR 0033), and the
        follow-up is judged again from it.  A protection it says is kept."""
        follow_up = self._find(PlacementFollowUp.id_for(placement.municipality, placement.placement_id))
        if follow_up is None:  # its start not seen (yet): the end is noted, so a late start opens nothing
            follow_up, _ = self._opened(placement, False, None, start_seen=False)
        gone_home, told = end_reason == HOME_RETURN, placement._replace(started_on=follow_up.started_on)
        follow_up.end(ended_on, gone_home)
        inquiry = self._inquiry_ended(placement, PLACEMENT_ENDED, f"placement ended: {end_reason}")
        processes = self._went_home(told, ended_on) if gone_home else self._placed_again(follow_up)
        self.save(follow_up, inquiry, *processes)
        self._placement_said_protection(placement, protected_identity)

    def _opened(
        self,
        placement: PlacementFacts,
        school_change: bool,
        case_worker_id: str | None,
        start_seen: bool = True,
        protected: bool = False,
    ) -> tuple[PlacementFollowUp, Opening]:
        municipality, case_id, placement_id, placement_type, started_on = placement
        follow_up = PlacementFollowUp(
            municipality=municipality,
            case_id=case_id,
            placement_id=placement_id,
            placement_type=placement_type,
            started_on=started_on,
            school_change=school_change,
            case_worker_id=case_worker_id,
            start_seen=start_seen,
            protected_identity=protected,
            types_kept=True,
        )
        return follow_up, self._inquiry_for(placement, protected) if start_seen else NO_INQUIRY
