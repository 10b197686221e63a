#!/usr/bin/env python3
"""Writes the committed spreadsheet fixtures of tests/import.rs that Rust
cannot write: an Excel 97-2003 workbook (.xls, with xlwt) and an OpenDocument
spreadsheet (.ods, with odfpy), both as agencies send recovery reports: a
title, a "(Kèm theo ...)" line and a blank row above the table.

    pip install xlwt odfpy && python3 scripts/make-spreadsheet-fixtures.py
"""
import os

import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "spreadsheets")

TITLE = ["BÁO CÁO KẾT QUẢ THU HỒI TÀI SẢN QUÝ 4 NĂM 2025"]
ATTACHED = ["(Kèm theo Công văn số 45/UBND-TH ngày 10/01/2026 của UBND xã An Bình)"]
HEADER = ["Kỳ báo cáo", "Đơn vị", "Kiến nghị thu hồi (đồng)", "Đã thu hồi (đồng)",
          "Kiến nghị thu hồi đất (m²)", "Đã thu hồi đất (m²)", "Ghi chú", "Ngày báo cáo", "Người ký"]
ROWS = [
    ["2025-Q4", "UBND xã An Bình", 1500000000, 1234567000, 500, 120.5, "Nộp đợt 2", "10/01/2026", "Chủ tịch UBND xã"],
    ["2025-Q4", "thanh-tra-tinh", 300000000, 0, 0, 0, "", "10/01/2026", "Chánh Thanh tra tỉnh"],
]
SHEET = [TITLE, ATTACHED, [], HEADER] + ROWS


def xls(path):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Thu hồi")
    for r, row in enumerate(SHEET):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(path)


def ods(path):
    doc = OpenDocumentSpreadsheet()
    table = Table(name="Thu hồi")
    for row in SHEET:
        tr = TableRow()
        for value in row:
            if isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(path)


os.makedirs(OUT, exist_ok=True)
xls(os.path.join(OUT, "thu-hoi.xls"))
ods(os.path.join(OUT, "thu-hoi.ods"))
print("wrote", OUT)
