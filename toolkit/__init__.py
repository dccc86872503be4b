"""zvit — the reporting cycle of a regional action plan, by Excel and e-mail."""

__version__ = "0.1.0"
