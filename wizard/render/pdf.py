"""The plan summary as a PDF, rendered by WeasyPrint from the same HTML as the page."""

from __future__ import annotations

from wizard.config import ROOT

PDF_STYLESHEET = ROOT / "static" / "css" / "pdf.css"


def render_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint is large and only this route needs it.
    from weasyprint import CSS, HTML

    document = HTML(string=html, base_url=str(ROOT / "static"))
    pdf: bytes = document.write_pdf(stylesheets=[CSS(filename=str(PDF_STYLESHEET))])
    return pdf
