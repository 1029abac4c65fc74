"""HTTP API of collaboration: /api/v1/family-homes, /matching-requests and /activities.

Each route names its use case, view and roles; the kit's command path does the rest.
"""

from __future__ import annotations

from services.collaboration.api import activities, family_homes, matching, subject_access

routers = [family_homes.router, matching.router, activities.router, subject_access.router]
