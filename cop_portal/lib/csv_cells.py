"""CSV exports that spreadsheets open safely."""

# A cell starting with one of these is read as a formula by Excel, LibreOffice and
# Google Sheets ("CSV injection"); a leading apostrophe makes it plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV cell that spreadsheet apps show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
