"""Who may do what with a person's data (django-rules)."""

from typing import Any

import rules

from accounts.rules import is_coordinator

# Erasing a person (privacy.services.person_erase): coordinators; the service refuses their own account.
rules.add_perm("privacy.erase_person", is_coordinator)


@rules.predicate
def is_self(user: Any, person: Any) -> bool:
    return person is not None and user.is_authenticated and user.pk == person.pk


# Asking for a person's data export (privacy.services.person_export_request): the person, or a
# coordinator on their behalf. Whoever may ask may also follow and download it (privacy.export_job).
rules.add_perm("privacy.export_person", is_self | is_coordinator)
