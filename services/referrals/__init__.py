"""referrals: referrals (remiss) to the Network Centre and the safety team."""

SERVICE = "referrals"
