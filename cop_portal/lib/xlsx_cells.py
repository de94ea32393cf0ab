"""Excel workbook cells that hold text as text, whatever it starts with."""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

from cop_portal.lib.csv_cells import FORMULA_STARTS


def set_text(cell: Cell, text: str) -> None:
    """Store `text` as a plain string cell.

    openpyxl writes any string starting with "=" as a formula, so the type is set back
    to string afterwards; text that looks like a formula also gets Excel's quote prefix
    (what typing a leading apostrophe does), so that editing the cell keeps it text.
    Control characters, which the file format cannot hold, are dropped.
    """
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
