#!/usr/bin/env python3
"""Extracts the Maryland rows of NPR's FY15YTD FOIA spreadsheet to data/detainers/npr-maryland-fy15.csv.

Standard library only. Usage:
  git -C <clone of nprapps/sanctuary-cities> show \
    "origin/reporting-analysis:raw/rif-FOIA 15-87693 _07262015_LESA-STU_FINAL FY15YTD.xlsx" > fy15.xlsx
  python3 extract_npr_fy15.py fy15.xlsx > npr-maryland-fy15.csv

The columns and their order are the spreadsheet's. Prepare Date is stored as an Excel day number; it is written as
M/D/YY, the form NPR's own CSV exports have (clean.py parses them with %m/%d/%y). Nothing else is changed.
"""
import csv, datetime, re, sys, zipfile
import xml.etree.ElementTree as ET

NS = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'

def column_index(ref):
    n = 0
    for ch in re.match(r'[A-Z]+', ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1

def rows(path):
    z = zipfile.ZipFile(path)
    shared = [''.join(t.text or '' for t in si.iter(NS + 't'))
              for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall(NS + 'si')]
    for row in ET.fromstring(z.read('xl/worksheets/sheet1.xml')).iter(NS + 'row'):
        cells = {}
        for c in row.findall(NS + 'c'):
            v = c.find(NS + 'v')
            value = '' if v is None else v.text
            if c.get('t') == 's':
                value = shared[int(value)]
            cells[column_index(c.get('r'))] = value
        if cells:
            yield [cells.get(i, '') for i in range(max(cells) + 1)]

def main():
    it = rows(sys.argv[1])
    header = next(it)
    out = csv.writer(sys.stdout, lineterminator='\n')
    out.writerow(header)
    date_col, state_col = header.index('Prepare Date'), header.index('State')
    for r in it:
        r += [''] * (len(header) - len(r))
        if r[state_col] != 'MARYLAND':
            continue
        if r[date_col]:
            d = datetime.date(1899, 12, 30) + datetime.timedelta(days=int(float(r[date_col])))
            r[date_col] = '%d/%d/%02d' % (d.month, d.day, d.year % 100)
        out.writerow(r)

if __name__ == '__main__':
    main()
