"""Reads a DOCX back as Word readers see it (python-docx), for the render tests.

Prints JSON: the core properties, every paragraph's style and text, the top-level tables
(rows of cell texts, and whether the first row repeats as a header), the header and footer
texts, whether a watermark shape is present, and the images.
"""
import json
import sys

import docx
from docx.oxml.ns import qn

document = docx.Document(sys.argv[1])
core = document.core_properties
body = document.element.body


def cell_text(cell):
    return "\n".join(p.text for p in cell.paragraphs).strip()


tables = []
for table in document.tables:
    rows = [[cell_text(c) for c in row.cells] for row in table.rows]
    first = table.rows[0]._tr if table.rows else None
    repeat = first is not None and first.find(qn("w:trPr")) is not None and first.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    tables.append({"rows": rows, "header_repeats": repeat})

section = document.sections[0]
headers = [p.text for p in section.header.paragraphs]
footers = [p.text for p in section.footer.paragraphs]
header_xml = section.header._element.xml
fonts = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))

print(json.dumps({
    "title": core.title,
    "subject": core.subject,
    "keywords": core.keywords,
    "status": core.content_status,
    "language": core.language,
    "paragraphs": [[p.style.name, p.text] for p in document.paragraphs],
    "tables": tables,
    "header": headers,
    "footer": footers,
    "watermark": "PowerPlusWaterMarkObject" in header_xml,
    "east_asia_font": fonts.get(qn("w:eastAsia")),
    "images": len(document.inline_shapes),
    "page_width_mm": round(section.page_width.mm),
}, ensure_ascii=False))
