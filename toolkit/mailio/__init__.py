"""Mail in and out at the protocol level, used both to collect replies and to send forms:
parsing messages and their attachments (``parse``, ``headers``, ``outlook`` for .msg and
winmail.dat), the IMAP client (``imap``), the SMTP client (``smtp``) and their settings
from ``zvit.toml`` (``settings``).

Owns every use of ``email``, ``imaplib`` and ``smtplib``. May import: the foundation
modules and ``workspace`` (for the settings). Knows nothing of forms or the ledger."""
