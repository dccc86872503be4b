"""The e-mail exchange with the units: compose each unit's message with its form into the
outbox, send it over SMTP, remind the late ones, and take replies in over IMAP."""
