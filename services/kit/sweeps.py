"""A periodic job's save, where another writer storing first is no failure of the job.

Periodic jobs (deadline sweeps, a roster's seeding) run outside any unit of work, so ``save``
stores at once.  When another writer stored a version of one of the aggregates first (another
replica's run at the same moment, a staff command), the store refuses the save as a whole:
nothing of it was stored, and the job goes on with its other items; its next run reads that one
again and acts on it then, unless the winner already did.
"""

from __future__ import annotations

from typing import Any

from services.kit.store import IntegrityError, ServiceApplication


def saved_unless_taken(app: ServiceApplication, *aggregates: Any) -> bool:
    """Save ``aggregates`` now; False (nothing stored) if another writer stored first."""
    try:
        app.save(*aggregates)
    except IntegrityError:
        return False
    return True
