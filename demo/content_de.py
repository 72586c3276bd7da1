"""The German language variant of the seed's exercise (``demo.content.EXERCISE``): the same plan, numbers,
kinds, timings and objectives, in German. ``load_demo`` loads it as a variant of the English exercise
(``Exercise.language = "de"``), so German-speaking participants read their team's briefing in German.
"""

from dataclasses import replace

from demo.content import EXERCISE, ExerciseData, HandoutData

_SCENARIO = (
    "Bei einer Grenzkontrolle stellen Beamtinnen und Beamte der Grenzpolizei (Team 2) Unregelmäßigkeiten in den "
    "Dokumenten mehrerer Reisender fest. Sie vermuten, dass diese Personen Opfer von Menschenhandel sind und "
    "unter illegalen Bedingungen zur Arbeit gezwungen werden, und geben die Information an die Polizei "
    "(Team 1) weiter.\n\n"
    "Die Lage ist fiktiv, aber realistisch: Bei einem Einsatz an der Grenze wurden Opfer identifiziert, und die "
    "Information hat die Strafverfolgungsbehörden, die Grenzpolizei und die Organisationen erreicht, die Opfer "
    "unterstützen. Jedes Team erhält seine eigenen Informationen zu diesem Notfall."
)

_GUIDELINES = (
    "Teilen Sie die Teilnehmenden vor der Übung in fünf Teams ein, die jeweils eine der Behörden und "
    "Institutionen vertreten, die Menschenhandel bekämpfen: Polizei / Strafverfolgung; Grenzpolizei / "
    "Ausländerbehörden; Sozialdienste / Opferschutz; Nichtregierungsorganisationen sowie die "
    "Regierungsverwaltung bzw. die Ministerien, die für Migrationspolitik und die Bekämpfung des "
    "Menschenhandels zuständig sind. Jedes Team hat seine eigene Rolle und eigene Aufgaben.\n\n"
    "Geben Sie jedem Team seine Informationen zum Notfall: Bei einem Einsatz an der Grenze wurden Opfer von "
    "Menschenhandel identifiziert, und die Information liegt bereits bei der Polizei, der Grenzpolizei und "
    "den Opferhilfeorganisationen vor.\n\n"
    "Führen Sie die Simulation dann in zwei Phasen durch: In der Vorphase analysieren die Teams, was sie "
    "wissen, und treffen erste Entscheidungen; in der Krisenphase ändert sich die Lage, und sie müssen schnell "
    "reagieren. Schließen Sie mit einer Nachbesprechung ab.\n\n"
    "Zeitplanung: Das Handbuch gibt für die Simulation „60 Minuten“ an, ihre Phasen dauern jedoch 15 und "
    "30 Minuten. Concord übernimmt die Phasenlängen des Handbuchs, daher sind 15 der 90 geplanten Minuten "
    "keiner Phase zugeordnet; nutzen Sie sie für die Einführung in das Szenario oder eine längere "
    "Nachbesprechung."
)

_TIPS = (
    "Die Übung leiten\n"
    "- Stellen Sie das Szenario vor und geben Sie jedem Team seine Aufgaben. Machen Sie deutlich, dass jede "
    "Gruppe ihre eigene Rolle und Verantwortung hat, aber nur in Zusammenarbeit mit den anderen Erfolg haben "
    "kann.\n"
    "- Verfolgen Sie den Ablauf: Gehen Sie von Team zu Team, beobachten Sie, wie die Zusammenarbeit "
    "verläuft und wie die Teilnehmenden ihre Aufgaben bewältigen, und prüfen Sie, ob jede Gruppe weiß, was "
    "zu tun ist, und über die nötigen Informationen verfügt.\n"
    "- Halten Sie das Tempo: Lassen Sie Zeit für Analyse und Entscheidungen, bringen Sie die Teams aber bei "
    "Bedarf zu schnellerem Handeln, indem Sie das Szenario plötzlich ändern (neue Informationen, unerwartete "
    "Schwierigkeiten, weitere Herausforderungen).\n"
    "- Fördern Sie die Kommunikation: Ermutigen Sie die Teams zu regelmäßigem Austausch und achten Sie "
    "darauf, ob sie Informationen weitergeben und Ressourcen und Maßnahmen gut steuern.\n\n"
    "Eingreifen während der Übung\n"
    "- Schwierigkeiten lösen: Wenn ein Team nicht weiterkommt, helfen Sie mit Hinweisen oder Fragen statt "
    "mit fertigen Antworten, damit die Teilnehmenden die Lösung selbst finden.\n"
    "- Konflikte steuern: Wenn Missverständnisse oder Konflikte entstehen, erinnern Sie die Gruppe daran, "
    "dass es um gemeinsames Handeln geht; oft genügt ein kurzer Hinweis, andere Sichtweisen anzuhören und "
    "Kompromisse einzugehen.\n"
    "- Variablen einführen: Verändern Sie die Krise durch neue Elemente, etwa neue Informationen aus einem "
    "anderen Land, logistische Probleme oder Verwirrung während der Evakuierung (siehe die Einspielungen). "
    "Die Teams müssen ihre Pläne dann an eine sich wandelnde Lage anpassen."
)

_ONLINE = (
    "Führen Sie die Übung auf einer Videoplattform (z. B. Zoom) mit Gruppenräumen für die Dienste durch, etwa "
    "Polizei, Nichtregierungsorganisation und Staatsanwaltschaft. Jede Gruppe erörtert den Fall von "
    "Menschenhandel, erarbeitet die Maßnahmen ihrer Rolle und stellt ihre Ergebnisse anschließend allen vor. "
    "Danach folgt eine Diskussion über die aufgetretenen Schwierigkeiten und darüber, wie sich die "
    "Zusammenarbeit verbessern lässt. Variablen des Szenarios lassen sich auch online einführen, um zu "
    "prüfen, wie flexibel die Zusammenarbeit ist."
)

_DEBRIEFING = (
    "- Fassen Sie zusammen, was die Teams getan haben, und besprechen Sie die Schwierigkeiten und "
    "Herausforderungen, auf die jede Behörde während der Simulation gestoßen ist.\n"
    "- Erörtern Sie gemeinsam die Stärken der Zusammenarbeit und die Bereiche, die verbessert werden "
    "sollten.\n"
    "- Benennen Sie gute Praxis und die Punkte, an denen die Zusammenarbeit besser funktionieren könnte.\n\n"
    "Laden Sie die Teilnehmenden zum Abschluss ein, ihre Eindrücke zu teilen und darüber nachzudenken, was "
    "erreicht wurde und was die Zusammenarbeit noch braucht."
)

# Phases, team roles and injects by their order or number: only the words change.
_PHASES = {
    1: (
        "Vorbereitung",
        "Geben Sie die einführenden Anweisungen und teilen Sie die Teilnehmenden in die fünf Behördenteams ein. "
        "Händigen Sie jedem Team seine Informationen zum Notfall aus: Bei einem Einsatz an der Grenze wurden "
        "Opfer von Menschenhandel identifiziert und den Strafverfolgungsbehörden, der Grenzpolizei und den "
        "Opferhilfeorganisationen gemeldet.",
    ),
    2: (
        "Vorphase",
        "Jedes Team analysiert die erhaltenen Informationen und trifft erste Entscheidungen.\n"
        "- Die Teams 1 und 2 stimmen sich auf operativer Ebene ab: Festnahme von Personen und Sicherung von "
        "Beweismitteln.\n"
        "- Die Teams 3 und 4 planen die Unterstützung der Opfer: Sie ermitteln deren Bedürfnisse und klären "
        "sie über ihre Rechte auf.\n"
        "- Team 5 begleitet den gesamten Prozess, koordiniert die Kommunikation zwischen den Behörden und "
        "erledigt formale und administrative Angelegenheiten.",
    ),
    3: (
        "Krisenphase",
        "Die Lage ändert sich, und die Teams müssen schnell reagieren: Opfer müssen womöglich sofort an einen "
        "sicheren Ort gebracht werden, die Kommunikation zwischen den Behörden kann zusammenbrechen, neue "
        "Informationen können auftauchen.\n"
        "- Die Teams 1 und 2 nehmen gemeinsam die mutmaßlichen Menschenhändler sicher fest und schützen dabei "
        "die Opfer.\n"
        "- Die Teams 3 und 4 helfen gemeinsam den Opfern und organisieren psychologische und rechtliche "
        "Unterstützung.\n"
        "- Team 5 koordiniert die Kommunikation und stellt Ressourcen und administrative Unterstützung bereit.",
    ),
    4: (
        "Nachbesprechung",
        "- Fassen Sie die Maßnahmen zusammen; besprechen Sie die Schwierigkeiten und Herausforderungen, auf die "
        "die Behörden gestoßen sind.\n"
        "- Erörtern Sie gemeinsam die Stärken der Zusammenarbeit und was verbessert werden sollte.\n"
        "- Benennen Sie gute Praxis und die Bereiche, in denen die Zusammenarbeit besser sein könnte.",
    ),
}

_TEAM_ROLES = {
    1: (
        "Polizei / Strafverfolgung",
        "Die Grenzpolizei (Team 2) hat Ihnen soeben von einer Gruppe von Personen berichtet, deren Dokumente "
        "bei einer Grenzkontrolle Unregelmäßigkeiten aufwiesen. Dort vermutet man, dass diese Personen Opfer "
        "von Menschenhandel sind und unter illegalen Bedingungen zur Arbeit gezwungen werden. Sie haben die "
        "Information noch nicht überprüft.",
        "- Reagieren Sie sofort: Überprüfen Sie die Information und leiten Sie die Ermittlungen in Abstimmung "
        "mit den anderen Diensten ein.\n"
        "- Stimmen Sie sich mit Team 2 auf operativer Ebene ab: Festnahme von Personen und Sicherung von "
        "Beweismitteln.\n"
        "- Nehmen Sie in der Krise gemeinsam mit Team 2 die mutmaßlichen Menschenhändler sicher fest und "
        "schützen Sie dabei die Opfer.",
    ),
    2: (
        "Grenzpolizei / Ausländerbehörden",
        "Bei einer Grenzkontrolle haben Ihre Beamtinnen und Beamten Unregelmäßigkeiten in den Dokumenten "
        "mehrerer Personen festgestellt. Sie vermuten, dass es sich um Opfer von Menschenhandel handelt, die "
        "unter illegalen Bedingungen zur Arbeit gezwungen werden, und haben dies an die Polizei (Team 1) "
        "weitergegeben.",
        "- Stellen Sie detaillierte Informationen bereit und arbeiten Sie eng mit der Polizei zusammen.\n"
        "- Sichern Sie den Ort und die betroffenen Personen.\n"
        "- Stimmen Sie sich mit Team 1 auf operativer Ebene ab und sorgen Sie in der Krise dafür, dass die "
        "Verdächtigen sicher festgenommen und die Opfer geschützt werden.",
    ),
    3: (
        "Sozialdienste / Opferschutz",
        "Sie wurden informiert, dass bei einem Einsatz an der Grenze mögliche Opfer von Menschenhandel "
        "identifiziert wurden, die versorgt werden müssen. Sie wissen noch nicht, wie viele Personen es sind "
        "und was sie brauchen.",
        "- Sorgen Sie für die medizinische und psychologische Versorgung der Opfer.\n"
        "- Helfen Sie, eine sichere Unterkunft zu finden, und organisieren Sie die weitere Unterstützung.\n"
        "- Planen Sie mit Team 4 die Unterstützung der Opfer: Ermitteln Sie deren Bedürfnisse und klären Sie "
        "sie über ihre Rechte auf; organisieren Sie in der Krise gemeinsam psychologische und rechtliche "
        "Unterstützung.",
    ),
    4: (
        "Nichtregierungsorganisationen (NGOs)",
        "Ihre Organisation hat von der Grenzpolizei erfahren, dass an der Grenze mehrere Personen angehalten "
        "wurden, die möglicherweise Opfer von Menschenhandel sind. Diese Menschen werden jemanden "
        "brauchen, dem sie vertrauen können.",
        "- Helfen Sie bei der Identifizierung der Opfer.\n"
        "- Achten Sie darauf, dass die Verfahren die Menschenrechte wahren.\n"
        "- Unterstützen Sie den Kontakt zu den Opfern und planen und leisten Sie mit Team 3 psychologische "
        "und rechtliche Unterstützung.",
    ),
    5: (
        "Regierungsverwaltung / für Migrationspolitik und Bekämpfung des Menschenhandels zuständige Ministerien",
        "Das Ministerium wurde informiert, dass an der Grenze ein möglicher Fall von Menschenhandel mit "
        "mehreren Opfern aufgedeckt wurde und dass Polizei, Grenzpolizei und Opferhilfedienste bereits "
        "tätig sind.",
        "- Koordinieren Sie die Maßnahmen auf nationaler Ebene.\n"
        "- Organisieren Sie Kommunikation und Zusammenarbeit zwischen den Behörden; begleiten Sie den "
        "gesamten Prozess und erledigen Sie formale und administrative Angelegenheiten.\n"
        "- Stellen Sie Ressourcen und gesetzgeberische Unterstützung bereit.",
    ),
}

_INJECTS = {
    1: (
        "Opfer in eine Nachbarregion gebracht",
        "Durch die Zusammenarbeit mit einem anderen Land haben wir erfahren, dass die Menschenhändler einen "
        "Teil der Opfer in eine Nachbarregion gebracht haben.",
        "Verbindungsbeamter im Nachbarland",
        "- Die Polizei überprüft die Information mit den Diensten des anderen Landes (über Kanäle von Europol "
        "oder Interpol) und weitet die Ermittlungen auf die Region aus.\n"
        "- Die Grenzpolizei alarmiert die Grenzübergänge und verstärkt die Kontrollen auf den "
        "wahrscheinlichen Routen.\n"
        "- Das Regierungsteam informiert die Behörden der Region und hält alle Behörden auf dem Laufenden.",
    ),
    2: (
        "Transportschwierigkeiten",
        "Wegen Transportschwierigkeiten erreichen einige der Opfer ihren Versorgungsort möglicherweise nicht "
        "rechtzeitig.",
        "Koordinatorin der Schutzunterkunft",
        "- Sozialdienste und Nichtregierungsorganisationen vereinbaren einen anderen Transport oder einen "
        "vorübergehenden sicheren Ort.\n"
        "- Sie entscheiden, wer zuerst versorgt werden muss, und halten die Opfer auf dem Laufenden.\n"
        "- Bei Bedarf bitten sie die anderen Teams um Hilfe (Begleitschutz, Ressourcen).",
    ),
    3: (
        "Ein Verdächtiger versucht zu fliehen",
        "Während der Evakuierung hat einer der Verdächtigen versucht zu fliehen. Alle Dienste müssen eingreifen.",
        "Beamter am Einsatzort",
        "- Polizei und Grenzpolizei halten den Verdächtigen auf und sorgen dabei dafür, dass die Opfer sicher "
        "und von den Verdächtigen getrennt bleiben.\n"
        "- Sozialdienste und Nichtregierungsorganisationen beruhigen die Opfer und schirmen sie ab.\n"
        "- Das Regierungsteam hält einen einzigen Kommunikationsweg zwischen allen Diensten aufrecht und "
        "dokumentiert die getroffenen Entscheidungen.",
    ),
}

EXERCISE_DE: ExerciseData = replace(
    EXERCISE,
    slug=f"{EXERCISE.slug}-de",
    name="Opfer von Menschenhandel erkennen – Vernehmung von Verdächtigen",
    aim=(
        "Die Fähigkeit zur Zusammenarbeit zwischen den Diensten und Institutionen stärken, die Menschenhandel "
        "auf nationaler Ebene bekämpfen. Die Teilnehmenden üben, Informationen auszutauschen, ihre Maßnahmen zu "
        "koordinieren und in einer Krise Entscheidungen zu treffen, jeweils im Rahmen ihrer eigenen Rolle und "
        "Zuständigkeiten."
    ),
    scenario=_SCENARIO,
    materials=(
        "- Verfahrensanweisung für die operativen Maßnahmen der Dienste.\n"
        "- Liste der behördenübergreifenden Kontakte und Kooperationsverfahren.\n"
        "- Szenariokarten zur Analyse durch die Teams, mit Rollenkarten (Beamtin oder Beamter der Grenzpolizei, "
        "Staatsanwältin oder Staatsanwalt usw.)."
    ),
    facilitator_guidelines=_GUIDELINES,
    tips=_TIPS,
    online_variation=_ONLINE,
    debriefing_guidance=_DEBRIEFING,
    handouts=(
        HandoutData(
            order=1,
            title="Verfahren der behördenübergreifenden Zusammenarbeit bei aufgedecktem Menschenhandel",
            description=(
                "Material 1: Wer informiert wen und wie, sobald ein möglicher Fall von Menschenhandel festgestellt "
                "wird."
            ),
        ),
        HandoutData(
            order=2,
            title="Wichtige Institutionen und Behörden in Polen, die Menschenhandel bekämpfen",
            description="Material 2: Die beteiligten polnischen Dienste und Organisationen und ihre Rollen.",
        ),
    ),
    phases=tuple(
        replace(phase, name=_PHASES[phase.order][0], instructions=_PHASES[phase.order][1]) for phase in EXERCISE.phases
    ),
    team_roles=tuple(
        replace(
            role,
            name=_TEAM_ROLES[role.number][0],
            briefing=_TEAM_ROLES[role.number][1],
            tasks=_TEAM_ROLES[role.number][2],
        )
        for role in EXERCISE.team_roles
    ),
    injects=tuple(
        replace(
            inject,
            title=_INJECTS[inject.number][0],
            body=_INJECTS[inject.number][1],
            sender=_INJECTS[inject.number][2],
            expected_actions=_INJECTS[inject.number][3],
        )
        for inject in EXERCISE.injects
    ),
)
