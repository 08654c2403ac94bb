//! Excel face of mecenat (template, importer, report workbook).
