"""A facilitator's notebook for a run: one free text per run and author, replaced on each save."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from audit.decorators import audited
from conduct.models import RunNotebook
from core.exceptions import ApplicationError
from exercises.models import ExerciseRun

NOTEBOOK_MAX_LENGTH = 20000


@transaction.atomic
@audited("notebook.save")
def notebook_save(*, run: ExerciseRun, by: Any, text: str) -> RunNotebook:
    """Replace ``by``'s notebook text for ``run`` (the run's staff only); an empty text is kept as empty."""
    if by is None or not by.has_perm("conduct.add_observation", run):
        raise ApplicationError(_("Only the run's facilitators and coordinators keep a notebook for it."))
    if len(text) > NOTEBOOK_MAX_LENGTH:
        raise ApplicationError(
            field_errors={"text": [_("At most %(limit)s characters.") % {"limit": NOTEBOOK_MAX_LENGTH}]}
        )
    # The run's row is every writer's lock: two saves of a first notebook cannot both insert.
    ExerciseRun.objects.select_for_update().filter(pk=run.pk).exists()
    notebook, _created = RunNotebook.objects.update_or_create(run=run, author=by, defaults={"text": text})
    return notebook
