"""Whether a command whose write lost a race runs again (ADR 0014 addendum, ADR 0020).

A conflict (``IntegrityError``) means another writer stored, in the same moment, a version of
something the command read and changed: a gate where protection and referrals meet, a person's day
or week, an access chain's next position.  Nothing of the command was stored, and it has no effect
outside its transaction (publication goes through the outbox, metrics count after commit), so it
runs again on what the other stored, as the kit's applier does a record: answered as if it had come
a moment later, not told to send it again.  An access record's position may be lost again to each
reader of the case; any other conflict a few times at most, after which it is answered 409 (an id
that exists, which a use case did not check).
"""

from __future__ import annotations

from collections.abc import Callable

from services.kit.access_chains import WRITE_ATTEMPTS
from services.kit.store import IntegrityError

CONFLICT_ATTEMPTS = 5  # each lost race means another writer of the same aggregate stored first


def worth_running_again(
    error: Exception, attempt: int, lost_access_position: Callable[[Exception], bool]
) -> bool:
    """After ``attempt`` failed with ``error``: run it again?  ``lost_access_position`` tells whether
    a conflict was an access record's chain position (asked only of a conflict)."""
    if not isinstance(error, IntegrityError):
        return False
    return attempt < (WRITE_ATTEMPTS if lost_access_position(error) else CONFLICT_ATTEMPTS)
