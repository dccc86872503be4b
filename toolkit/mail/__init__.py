"""The e-mail exchange with the units: compose each unit's message with its form into the
outbox, send it over SMTP, remind the late ones (with their feedback copies).

May import: everything below it, ``collect`` included (the feedback copies it wrote).
Protocol work (SMTP, IMAP, parsing) is ``mailio``'s."""
