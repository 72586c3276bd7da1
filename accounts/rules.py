"""Role predicates for django-rules; every other app's rules build on these."""

import rules

from accounts import roles

is_coordinator = rules.predicate(roles.is_coordinator, name="is_coordinator")
is_facilitator = rules.predicate(roles.is_facilitator, name="is_facilitator")
is_participant = rules.predicate(roles.is_participant, name="is_participant")

rules.add_perm("accounts.view_user", is_coordinator)
rules.add_perm("accounts.change_user", is_coordinator)
# The audit trail's entries, their export and the chain's check (accounts.views_audit, accounts.api_audit).
rules.add_perm("audit.view_auditentry", is_coordinator)
