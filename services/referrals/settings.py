"""The referrals service's setting: which teams each municipality offers referrals to.

``NATVERK_REFERRAL_TARGETS`` is defined once in the kit (``services.kit.settings_teams``), because
network_support reads it too (who answers for a team's duties where there is no such team).
"""

from __future__ import annotations

from services.kit.settings_teams import DEFAULT_TARGETS, Municipality, Target
from services.kit.settings_teams import TeamSettings as ReferralsSettings
from services.kit.settings_teams import team_settings as referrals_settings

__all__ = ["DEFAULT_TARGETS", "Municipality", "ReferralsSettings", "Target", "referrals_settings"]
