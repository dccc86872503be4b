"""Plan importers: each reads one kind of source into rows; ``assemble`` builds the plan.

The readers know a layout (a Word table, a spreadsheet, the plain-text dumps of the
seeds); the repairs that real documents need live in one place, ``assemble``."""
