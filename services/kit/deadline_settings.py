"""How long the obligations on the worklists may wait (``NATVERK_`` variables, issue 16 item 3)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings


class DeadlineSettings(BaseSettings):
    referral_response_working_days: int = Field(
        3, ge=1, le=30, description="referrals: a referral is to be accepted or declined within these"
    )
    inquiry_outcome_days: int = Field(
        30, ge=1, le=365, description="network_support: a network-placement inquiry concludes within these"
    )
