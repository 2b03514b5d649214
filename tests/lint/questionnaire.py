"""Reads or fills a bcp questionnaire workbook with openpyxl, as a respondent's spreadsheet would.

  questionnaire.py dump FILE              -> JSON: every sheet's state, protection, cell values,
                                             unlocked cells and data validations
  questionnaire.py fill FILE OUT EDITS    -> OUT: FILE with EDITS (JSON [[sheet, cell, value]])
"""
import json
import sys

import openpyxl


def dump(path):
    book = openpyxl.load_workbook(path)
    sheets = []
    for ws in book.worksheets:
        cells = {}
        unlocked = []
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    cells[c.coordinate] = c.value
                if c.protection is not None and not c.protection.locked:
                    unlocked.append(c.coordinate)
        validations = [
            {"sqref": str(v.sqref), "type": v.type, "formula1": v.formula1}
            for v in ws.data_validations.dataValidation
        ]
        sheets.append(
            {
                "name": ws.title,
                "state": ws.sheet_state,
                "protected": bool(ws.protection.sheet),
                "cells": cells,
                "unlocked": unlocked,
                "validations": validations,
            }
        )
    print(json.dumps({"title": book.properties.title, "sheets": sheets}, default=str))


def fill(path, out, edits):
    book = openpyxl.load_workbook(path)
    for sheet, cell, value in json.loads(edits):
        book[sheet][cell] = value
    book.save(out)


if __name__ == "__main__":
    if sys.argv[1] == "dump":
        dump(sys.argv[2])
    else:
        fill(sys.argv[2], sys.argv[3], sys.argv[4])
