"""Who may do what with a person's data (django-rules)."""

import rules

from accounts.rules import is_coordinator

# Erasing a person (privacy.services.person_erase): coordinators; the service refuses their own account.
rules.add_perm("privacy.erase_person", is_coordinator)
