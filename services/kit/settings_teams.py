"""Which teams each municipality has: ``NATVERK_REFERRAL_TARGETS``, one setting for every service.

``NATVERK_REFERRAL_TARGETS`` (JSON) names, per municipality, its referral targets; a municipality
it does not name offers none.  Both teams are Uppsala's (DOMAIN "Who is who"), so by default only
0380 offers them.  referrals refuses a referral to a team a municipality lacks; network_support
names who answers for a team's duties there.  Read from one definition, so the two cannot
disagree; a service that never asks does not read it.  Validated at start-up like every other
``NATVERK_`` setting.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from services.kit.settings import ServiceSettings
from services.kit.settings_loader import load_settings

Municipality = Literal["0380", "1980", "2180"]
Target = Literal["network_centre", "safety_team"]
DEFAULT_TARGETS: dict[Municipality, list[Target]] = {
    "0380": ["network_centre", "safety_team"],
    "1980": [],
    "2180": [],
}


class TeamSettings(ServiceSettings):
    referral_targets: dict[Municipality, list[Target]] = Field(
        default_factory=lambda: {m: list(t) for m, t in DEFAULT_TARGETS.items()},
        description="JSON: per municipality, the teams it offers referrals to; one not named offers none",
    )


def team_settings(settings: ServiceSettings) -> TeamSettings:
    """``settings`` with the teams setting, read from the environment if not given."""
    if isinstance(settings, TeamSettings):
        return settings
    return load_settings(TeamSettings, **settings.model_dump())
