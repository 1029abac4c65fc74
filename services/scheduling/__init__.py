"""scheduling: the staff meeting within 7 days of a referral, other meetings, staff capacity."""

SERVICE = "scheduling"
