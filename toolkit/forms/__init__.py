"""Reporting forms: the definition, which rows go on whose form, the identity embedded
in each workbook, and the writer."""
