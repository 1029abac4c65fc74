"""The referrals service's own setting: which teams each municipality offers referrals to.

``NATVERK_REFERRAL_TARGETS`` (JSON) names, per municipality, its referral targets; a municipality
it does not name offers none.  Both teams are Uppsala's (DOMAIN "Who is who"), so by default only
0380 offers them.  Read and validated at start-up like every other ``NATVERK_`` setting.
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


class ReferralsSettings(ServiceSettings):
    referral_targets: dict[Municipality, list[Target]] = Field(
        default_factory=lambda: {m: list(t) for m, t in DEFAULT_TARGETS.items()},
        description="JSON: per municipality, the teams it offers referrals to; one not named offers none",
    )


def referrals_settings(settings: ServiceSettings) -> ReferralsSettings:
    """``settings`` with the referrals service's own, read from the environment if not given."""
    if isinstance(settings, ReferralsSettings):
        return settings
    return load_settings(ReferralsSettings, **settings.model_dump())
