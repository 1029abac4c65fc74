"""Aggregates every service shares: case-access records and idempotency records."""
