"""A document's HTML as a PDF: WeasyPrint, A4 (the print stylesheet's `@page`), tagged for PDF/UA-1 so that a
screen reader finds the headings, tables and the charts' text alternatives, with the title and language that
the HTML declares as the PDF's metadata. Charts stay vector SVG and every word stays selectable text."""

from django.template.loader import render_to_string
from weasyprint import HTML, URLFetcher

from reports.pdf.documents.common import PdfDocument

PDF_VARIANT = "pdf/ua-1"


def document_html(document: PdfDocument) -> str:
    return render_to_string(document.template, {"document": document})


def pdf_bytes(document: PdfDocument) -> bytes:
    # A document carries its charts inline as data: URIs and needs nothing else, so nothing else may be fetched: no
    # file of the server, no address on the network, whatever the text of a commentary might contain.
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    return HTML(string=document_html(document), url_fetcher=fetcher).write_pdf(pdf_variant=PDF_VARIANT)
