"""Mail in and out at the protocol level, used both to collect replies and to send forms:
parsing messages and their attachments (``parse``, ``headers``, ``outlook`` for .msg and
winmail.dat), the IMAP client (``imap``) and the SMTP client (``smtp``).

Owns every use of ``email``, ``imaplib`` and ``smtplib``. May import: the foundation
modules only. Knows nothing of plans, forms or the ledger."""
