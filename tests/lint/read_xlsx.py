"""Reads an XLSX back as a spreadsheet program does (openpyxl), for the render tests.

Prints JSON: per sheet its name, the frozen cell, the filter range, the column widths, and
every row as [value, type] pairs; and the workbook's title and status.
"""
import json
import sys

import openpyxl

book = openpyxl.load_workbook(sys.argv[1])
sheets = []
for ws in book.worksheets:
    rows = [[[c.value if not hasattr(c.value, "isoformat") else c.value.isoformat()[:10], c.data_type] for c in row] for row in ws.iter_rows()]
    sheets.append({
        "name": ws.title,
        "freeze": ws.freeze_panes,
        "filter": ws.auto_filter.ref,
        "widths": {k: round(v.width, 1) for k, v in ws.column_dimensions.items() if v.width},
        "rows": rows,
    })
print(json.dumps({
    "title": book.properties.title,
    "status": book.properties.contentStatus,
    "sheets": sheets,
}, ensure_ascii=False))
