"""Who may call what: the roles of collaboration's routes."""

CONSULTANT = ("family_home_consultant",)
REQUESTERS = ("case_worker", "family_home_consultant")
ORGANISERS = ("family_home_consultant", "coordinator")
BOOKERS = ("family_home_consultant", "coordinator", "case_worker")
READERS = ("family_home_consultant", "case_worker", "coordinator", "auditor")
