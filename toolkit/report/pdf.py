"""A document → PDF through LibreOffice (``toolkit.office``). Missing or failing, it
says so with a code (``E_PDF_NO_LIBREOFFICE``, ``E_PDF_FAILED``) — never a traceback."""

from __future__ import annotations

from toolkit.errors import ToolError
from toolkit.issues import Location, issue
from toolkit.office import TIMEOUT, OfficeError, converted, find_soffice


def to_pdf(document: bytes, suffix: str = ".docx", *, timeout: float = TIMEOUT) -> bytes:
    """The PDF LibreOffice prints ``document`` (a .docx, .xlsx or .odt) to."""
    soffice = find_soffice()
    if soffice is None:
        raise ToolError(issue("E_PDF_NO_LIBREOFFICE", Location()))
    try:
        with converted(document, f"report{suffix}", "pdf", soffice, timeout=timeout) as pdf:
            return pdf.read_bytes()
    except OfficeError as e:
        raise ToolError(issue("E_PDF_FAILED", Location(), detail=e.message)) from None
