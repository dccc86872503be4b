"""The workspace's store: ``zvit.db`` (SQLite) with what was received, from whom, when and
what became of it; the forms issued; the mail sent and taken in; and the queries over it
(a unit's history, the status of a period).

Owns every use of ``sqlite3`` (``store``, ``schema``, ``rows``, ``mail``) and the
``Submission`` record. May import: the foundation modules, ``plan``, ``workspace``,
``forms`` and ``validate`` (the results it records). Never ``collect``, ``report`` or
``mail``."""
