"""The master events list (MEL): a whole exercise as one spreadsheet, like the ones exercise planners
keep (HSEEP). One sheet (or CSV file), one row per record; the ``Record`` column says what a row is:
``exercise``, ``phase``, ``team`` or ``inject``. The README describes every column.

- ``format``: the columns, and the errors an import reports by line and column (pure);
- ``parse``: a file read into an exercise's fields and an ``exercises.plans.ExercisePlan`` (pure);
- ``export``: an exercise written out as rows.

Reading, writing and file checks (size, encoding, BOM, delimiter, formula neutralising) are
``core.tabular``'s; ``exercises.services.mel`` imports.
"""
