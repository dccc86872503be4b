"""The plan: its model, deadlines, executors registry, importers and checks."""
