"""A document's HTML as a PDF: WeasyPrint, A4 (the print stylesheet's `@page`), tagged for PDF/UA-1 so that a
screen reader finds the headings, tables and the charts' text alternatives, with the title and language that
the HTML declares as the PDF's metadata. Charts stay vector SVG and every word stays selectable text."""

import logging

from django.template.loader import render_to_string

from reports.pdf.documents.common import PdfDocument

PDF_VARIANT = "pdf/ua-1"

# WeasyPrint logs each step of each layout at INFO ("Step 5 - Creating layout - Page 3"), which under the root
# logger's INFO would fill the server's log with every download; its warnings still show.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def document_html(document: PdfDocument) -> str:
    return render_to_string(document.template, {"document": document})


def pdf_bytes(document: PdfDocument) -> bytes:
    return html_pdf_bytes(document_html(document))


def html_pdf_bytes(html: str) -> bytes:
    """Any document of the print stylesheet (`reports/pdf/print.css`) as a PDF, such as a subject access export."""
    # Imported here: WeasyPrint parses its own stylesheets as it is imported, which every process (each web worker,
    # each manage.py command) would otherwise pay for at start, PDFs or not.
    from weasyprint import HTML, URLFetcher

    # A document carries its charts inline as data: URIs and needs nothing else, so nothing else may be fetched: no
    # file of the server, no address on the network, whatever the text of a commentary might contain.
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant=PDF_VARIANT)
