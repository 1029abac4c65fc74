"""Swedish working days: moved to the kit's domain, where every service can count them."""

from __future__ import annotations

from services.kit.domain.working_days import (
    add_working_days,
    easter_sunday,
    is_working_day,
    next_working_day,
    swedish_holidays,
)

__all__ = ["add_working_days", "easter_sunday", "is_working_day", "next_working_day", "swedish_holidays"]
