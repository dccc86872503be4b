"""The plan: its model (sections → tasks → measures), Ukrainian deadlines, indicator
targets, the registry of reporting units with the executor resolver, the importers (text,
Word, Excel/CSV), the meaning checks, and the export back to a Word or Excel table.

May import: the foundation modules only. Everything else builds on the plan."""
