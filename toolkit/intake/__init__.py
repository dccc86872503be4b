"""Intake: getting returned workbooks in from e-mail (files, mailboxes, IMAP) and sending
forms out (SMTP). Untrusted input: problems are returned as coded issues."""
