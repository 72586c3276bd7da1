from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.selectors import audit_verify
from audit.services import audit_seal


class Command(BaseCommand):
    help = "Seal the audit entries written since the last seal, then check the whole hash chain."

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = audit_seal()
        report = audit_verify()
        self.stdout.write(f"sealed {sealed} new entries; checked {report.checked}")
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"the audit chain is broken: {len(report.problems)} problem(s)")
        self.stdout.write(self.style.SUCCESS("the audit chain is intact"))
