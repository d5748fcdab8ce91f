"""A record of processing activities (ROPA) spreadsheet -> rows of manifest values, or located problems.

One row per processing activity, with the columns of :data:`COLUMNS` (the
template `defa-check template ropa` writes has exactly these, so the template
and this reader cannot disagree). Headers are matched without regard to case;
columns may be in any order. A cell that cannot be read is a problem located
at the cell, ``ropa.xlsx:ROPA!D7`` (``ropa.csv:D7`` for CSV), with a
did-you-mean. Workbooks need openpyxl (``pip install "defa-check[import]"``);
CSV needs nothing extra.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from defa_check.inputs import vocabulary as words
from defa_check.inputs.geo import CLOUD_REGIONS, COUNTRY_NAMES, iso_codes
from defa_check.model import Problem, quote
from defa_check.records import field, record

MAX_ROWS = 20_000
"""A ROPA is a few hundred rows; more is a wrong file (or a sheet formatted to its last row)."""

MAX_FILE_BYTES = 20 * 1024 * 1024


@record
class Column:
    """One column of the ROPA layout: the template writes it, the reader reads it."""

    header: str
    field: str
    help: str
    example: str
    required: bool = False
    choices: str | None = None
    """The drop-down list in the template (a key of :func:`choice_lists`)."""


COLUMNS: tuple[Column, ...] = (
    Column("ID", "id", "Optional short name for the activity (letters, digits, - _ .); made from the "
           "activity when empty.", "vn-orders"),
    Column("Activity", "activity", "The processing activity, in words.",
           "Orders placed by customers in Viet Nam", required=True),
    Column("Data categories", "data_categories", "Kinds of personal data, comma-separated: plain words "
           "(contact, email, cards, health, ...) or fideslang keys (user.contact.email).",
           "contact, cards", required=True, choices="data_categories"),
    Column("Data subjects", "subjects", "Whose data, comma-separated: customer, employee, job_applicant, "
           "patient, ... (fideslang data subjects; plurals accepted).", "customers", required=True,
           choices="subjects"),
    Column("Subject countries", "subject_countries", "Where those people are: ISO country codes, "
           "comma-separated (VN, TH). One flow is written per country.", "VN", required=True,
           choices="countries"),
    Column("Number of subjects", "count", "About how many people a year (a whole number).", "12000"),
    Column("Children", "children", "yes if the data includes children's data, else no.", "no",
           choices="yes_no"),
    Column("Purpose", "purposes", "Why, comma-separated: plain words (service, payments, marketing, "
           "analytics, hr) or fideslang data uses (essential.service).", "service, payments",
           required=True, choices="purposes"),
    Column("Legal basis", "legal_bases", "consent, contract, legal_obligation, vital_interests, "
           "public_interest, legitimate_interests (comma-separated); none if there is none; empty if "
           "not known.", "contract", choices="legal_bases"),
    Column("System", "system", "Optional name of the system or database where the data is stored.",
           "Storefront database"),
    Column("Storage location", "storage", "Where the data is stored: an ISO country code or a cloud "
           "region (ap-southeast-1).", "SG", required=True, choices="countries"),
    Column("Recipients", "recipients", "Other companies the data is sent to, as NAME: COUNTRY, "
           "separated by ; (Stripe: US; Xero: AU).", "Stripe: US"),
    Column("Recipient role", "recipient_role", "The recipients' role: processor, controller or "
           "affiliate.", "processor", choices="recipient_role"),
    Column("Transfer mechanism", "transfer_mechanisms", "What makes transfers abroad lawful: consent, "
           "contract_necessity, asean_mcc, eu_scc, contract_clauses, bcr, global_cbpr, adequacy, ... "
           "or none. Applies to rows' cross-border flows only.", "asean_mcc", choices="transfer_mechanisms"),
    Column("Retention", "retention", "How long the data is kept: 24 months, 7 years, until purpose "
           "ends, indefinite; a reason may follow in brackets: 7 years (tax law).",
           "7 years (tax law)"),
    Column("Security measures", "safeguards", "Comma-separated: encryption_at_rest, "
           "encryption_in_transit, access_control, mfa, audit_logging, backup, ... (plain words such "
           "as TLS or 2FA accepted).", "encryption_in_transit, encryption_at_rest",
           choices="safeguards"),
    Column("Assessments", "assessments", "Assessments done for the activity: dpia, pia, "
           "transfer_impact_assessment, legitimate_interests_assessment, vendor_assessment, ...",
           "dpia", choices="assessments"),
)  # fmt: skip
"""The ROPA layout, in template order."""

SHEET = "ROPA"
"""The sheet the template writes the layout into (the reader takes the first sheet otherwise)."""


def choice_lists() -> dict[str, list[str]]:
    """The drop-down lists of the template: the closed vocabularies, in the order users pick from."""
    from defa_check.inputs.taxonomy import data_subjects, data_uses

    codes = sorted(iso_codes())
    return {
        "data_categories": list(words.DATA_WORDS),
        "subjects": list(data_subjects().names),
        "countries": codes,
        "yes_no": ["yes", "no"],
        "purposes": list(data_uses().names),
        "legal_bases": list(words.vocabulary("legal_bases").values),
        "recipient_role": list(words.vocabulary("recipient_role").values),
        "transfer_mechanisms": list(words.vocabulary("transfer_mechanisms").values),
        "safeguards": list(words.vocabulary("safeguards").values),
        "assessments": list(words.vocabulary("assessments").values),
    }


@record
class Recipient:
    name: str
    country: str


@record(frozen=False)
class RopaRow:
    """One processing activity, its values already in the manifest's vocabulary.

    ``None`` means the cell was empty (not stated); an empty list means the
    row stated that there is none.
    """

    row: int
    where: str
    """The row as users find it: ``ropa.xlsx, sheet ROPA, row 7``."""
    activity: str = ""
    id: str | None = None
    data_categories: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    subject_countries: list[str] = field(default_factory=list)
    count: int | None = None
    children: bool | None = None
    purposes: list[str] = field(default_factory=list)
    legal_bases: list[str] | None = None
    system: str | None = None
    storage: str | None = None
    recipients: list[Recipient] = field(default_factory=list)
    recipient_role: str | None = None
    transfer_mechanisms: list[str] | None = None
    retention: dict[str, Any] | None = None
    retention_lost: str | None = None
    safeguards: list[str] | None = None
    assessments: list[str] | None = None
    ok: bool = True


@record(frozen=False)
class Ropa:
    """What a ROPA file holds: its rows, and every problem with it."""

    path: str
    sheet: str | None
    rows: list[RopaRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# ---------------------------------------------------------------- reading cells


@record
class _Cell:
    value: Any
    ref: str
    """``D7``."""


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _grid_from_csv(path: Path, shown: str) -> tuple[list[list[Any]], list[Problem]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [
            Problem(shown, f"not UTF-8 text ({exc.reason}); save the CSV as UTF-8", code="unreadable")
        ]
    first = text.split("\n", 1)[0]
    # Spreadsheets in many locales write ';' between cells; take the separator the header uses most.
    delimiter = max((",", ";", "\t"), key=first.count)
    return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)], []


def _grid_from_workbook(
    path: Path, shown: str, sheet: str | None
) -> tuple[list[list[Any]], str | None, list[tuple[str, int, int, int, int]], list[Problem]]:
    """Cell values, the sheet's name, its merged ranges (ref, min_row, max_row, min_col, max_col)."""
    try:
        import openpyxl
    except ImportError:
        return (
            [],
            None,
            [],
            [
                Problem(
                    shown,
                    'reading .xlsx needs openpyxl: pip install "defa-check[import]" (or save as CSV)',
                    code="unreadable",
                )
            ],
        )
    try:
        # data_only: a formula's last computed value, never the formula text.
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # any corrupt or foreign file must become a problem, not a traceback
        return (
            [],
            None,
            [],
            [Problem(shown, f"not a readable .xlsx workbook ({type(exc).__name__})", code="unreadable")],
        )
    if sheet is None:
        ws = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    elif sheet in book.sheetnames:
        ws = book[sheet]
    else:
        from defa_check.inputs.suggest import did_you_mean

        return (
            [],
            None,
            [],
            [
                Problem(
                    shown,
                    f"no sheet named {quote(sheet)}; it has {', '.join(map(_printable, book.sheetnames))}",
                    hint=did_you_mean(sheet, book.sheetnames),
                    code="usage",
                )
            ],
        )
    merged = [(str(r.coord), r.min_row, r.max_row, r.min_col, r.max_col) for r in ws.merged_cells.ranges]
    grid: list[list[Any]] = []
    for i, row in enumerate(ws.iter_rows(values_only=True)):
        if i > MAX_ROWS:
            return (
                [],
                None,
                [],
                [
                    Problem(
                        shown,
                        f"more than {MAX_ROWS:,} rows: is this a record of processing?",
                        code="too-complex",
                    )
                ],
            )
        grid.append(list(row))
    return grid, _printable(ws.title), merged, []


def _printable(text: str) -> str:
    """Text from the file, without control characters (it is printed on terminals and in CI logs)."""
    return "".join(c for c in text if c.isprintable())


# ---------------------------------------------------------------- the reader


def _header_key(text: str) -> str:
    return words.normalise(re.sub(r"\(.*?\)", "", text))


_HEADERS = {_header_key(c.header): c for c in COLUMNS}


def read_ropa(path: str | Path, display_path: str | None = None, sheet: str | None = None) -> Ropa:
    """Read a ROPA workbook (.xlsx) or CSV file; never raises on bad input."""
    p = Path(path)
    shown = display_path or str(path)
    try:
        size = p.stat().st_size
        if not p.is_file():
            return Ropa(shown, None, problems=[Problem(shown, "is not a regular file", code="unreadable")])
        if size > MAX_FILE_BYTES:
            return Ropa(
                shown,
                None,
                problems=[
                    Problem(
                        shown, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}", code="unreadable"
                    )
                ],
            )
        merged: list[tuple[str, int, int, int, int]] = []
        if p.suffix.lower() == ".csv":
            grid, problems = _grid_from_csv(p, shown)
            sheet_name = None
        elif p.suffix.lower() in (".xlsx", ".xlsm"):
            grid, sheet_name, merged, problems = _grid_from_workbook(p, shown, sheet)
        else:
            return Ropa(
                shown,
                None,
                problems=[Problem(shown, "give a .xlsx workbook or a .csv file", code="unreadable")],
            )
    except FileNotFoundError:
        return Ropa(shown, None, problems=[Problem(shown, "no such file", code="unreadable")])
    except OSError as exc:
        return Ropa(shown, None, problems=[Problem(shown, f"cannot read: {exc.strerror}", code="unreadable")])
    ropa = Ropa(shown, sheet_name, problems=problems)
    if not problems:
        _read_grid(ropa, grid, merged)
    return ropa


def _place(ropa: Ropa, ref: str) -> str:
    return f"{ropa.path}:{ropa.sheet}!{ref}" if ropa.sheet else f"{ropa.path}:{ref}"


def _read_grid(ropa: Ropa, grid: list[list[Any]], merged: list[tuple[str, int, int, int, int]]) -> None:
    from defa_check.inputs.suggest import did_you_mean

    # The header is the first row naming two known columns (a title may stand above it).
    known = [sum(_header_key(_text(v)) in _HEADERS for v in r) for r in grid[:10]]
    header_row = next((i for i, n in enumerate(known) if n >= 2), None)
    if header_row is None:
        header_row = next((i for i, r in enumerate(grid) if any(_text(v) for v in r)), None)
    if header_row is None:
        ropa.problems.append(
            Problem(
                ropa.path, "the sheet is empty: the first row must name the columns", code="missing-field"
            )
        )
        return
    columns: dict[str, int] = {}
    for j, value in enumerate(grid[header_row]):
        text = _text(value)
        if not text:
            continue
        ref = f"{column_letter(j + 1)}{header_row + 1}"
        column = _HEADERS.get(_header_key(text))
        if column is None:
            ropa.problems.append(
                Problem(
                    _place(ropa, ref),
                    f"unknown column {quote(text)}",
                    hint=did_you_mean(text, [c.header for c in COLUMNS]),
                    code="unknown-field",
                )
            )
        elif column.field in columns:
            ropa.problems.append(
                Problem(
                    _place(ropa, ref), f"column {quote(column.header)} appears twice", code="duplicate-key"
                )
            )
        else:
            columns[column.field] = j
    for column in COLUMNS:
        if column.required and column.field not in columns:
            ropa.problems.append(
                Problem(
                    _place(ropa, f"{header_row + 1}:{header_row + 1}"),
                    f"no {quote(column.header)} column (the first row names the columns; "
                    "`defa-check template ropa` writes them all)",
                    code="missing-field",
                )
            )
    if any(p.code == "missing-field" for p in ropa.problems):
        return
    # Merged cells hide which row a value belongs to: each row must carry its own values.
    merged_rows: dict[int, str] = {}
    for ref, min_row, max_row, _min_col, _max_col in merged:
        if max_row <= header_row + 1 and min_row == max_row:
            continue  # a title merged across the columns above the data is harmless
        ropa.problems.append(
            Problem(
                _place(ropa, ref.split(":")[0]),
                f"merged cells {ref}: each row needs its own values",
                hint="unmerge them and repeat the value in every row",
                code="invalid-form",
            )
        )
        for r in range(min_row, max_row + 1):
            merged_rows[r] = ref
    for i in range(header_row + 1, len(grid)):
        raw = grid[i]
        if not any(_text(v) for v in raw):
            continue  # blank rows between activities are common; they say nothing
        cells = {
            f: _Cell(raw[j] if j < len(raw) else None, f"{column_letter(j + 1)}{i + 1}")
            for f, j in columns.items()
        }
        row = _read_row(ropa, i + 1, cells)
        if i + 1 in merged_rows:
            row.ok = False
        ropa.rows.append(row)
    if not ropa.rows:
        ropa.problems.append(
            Problem(
                _place(ropa, f"{header_row + 2}:{header_row + 2}"),
                "no activities: fill in one row per processing activity",
                code="missing-field",
            )
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _split(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,;\n]", text) if p.strip()]


class _RowReader:
    """Reads one row's cells, collecting located problems."""

    def __init__(self, ropa: Ropa, row: RopaRow, cells: dict[str, _Cell]) -> None:
        self.ropa, self.row, self.cells = ropa, row, cells

    def problem(
        self, cell: _Cell, message: str, hint: str | None = None, code: str = "unknown-value"
    ) -> None:
        self.ropa.problems.append(Problem(_place(self.ropa, cell.ref), message, hint=hint, code=code))
        self.row.ok = False

    def text(self, name: str, required: bool = False) -> tuple[str, _Cell | None]:
        """A cell's text; dates are refused (a spreadsheet turned what was typed into a date)."""
        cell = self.cells.get(name)
        if cell is None:
            return "", None
        if isinstance(cell.value, dt.datetime | dt.date | dt.time):
            column = next(c for c in COLUMNS if c.field == name)
            self.problem(
                cell,
                f"{column.header}: the spreadsheet stored a date ({_show_date(cell.value)}) here",
                hint=f"format the column as text and write e.g. {quote(column.example)}",
                code="wrong-type",
            )
            return "", cell
        text = _text(cell.value)
        if required and not text:
            self.missing(cell, name, "is empty")
        return text, cell

    def missing(self, cell: _Cell, name: str, what: str) -> None:
        """A required cell with nothing in it: '<header> <what>', with the column's example."""
        column = next(c for c in COLUMNS if c.field == name)
        self.problem(
            cell, f"{column.header} {what}", hint=f"e.g. {quote(column.example)}", code="missing-field"
        )

    def listed(self, name: str, required: bool = False) -> tuple[list[str], _Cell | None]:
        """A cell's comma-, semicolon- or line-separated parts. A required cell holding separators
        alone (`;`, `, ,`) is as empty as a blank one, and said so."""
        text, cell = self.text(name, required)
        parts = _split(text)
        if required and text and not parts and cell is not None:
            self.missing(cell, name, f"holds only separators ({quote(text)})")
        return parts, cell

    def mapped_list(
        self,
        name: str,
        lookup: Callable[[str], Any],
        choices: Callable[[], list[str]],
        what: str,
        required: bool = False,
    ) -> list[Any] | None:
        parts, cell = self.listed(name, required)
        if not parts or cell is None:
            return None
        out: list[Any] = []
        for part in parts:
            found = lookup(part)
            if found is None:
                self.problem(
                    cell,
                    f"unknown {what} {quote(part)}",
                    words.hint_for(part, choices()),
                    code="unknown-taxonomy-key"
                    if what.startswith("data") or what == "purpose"
                    else "unknown-value",
                )
            else:
                for item in found if isinstance(found, list) else [found]:
                    if item not in out:
                        out.append(item)
        return out

    def closed(self, name: str, vocab: str, what: str) -> list[str] | None:
        vocabulary = words.vocabulary(vocab)
        text, _ = self.text(name)
        if words.normalise(text) == "none":
            return ["none"] if "none" in vocabulary.values else []
        return self.mapped_list(name, vocabulary.lookup, lambda: vocabulary.choices, what)

    def country(self, part: str, cell: _Cell, regions: bool) -> str | None:
        if part.upper() in iso_codes():
            return part.upper()
        if regions and part.lower() in CLOUD_REGIONS:
            return CLOUD_REGIONS[part.lower()]
        named = COUNTRY_NAMES.get(part.lower())
        if named:
            self.problem(
                cell, f"{quote(part)} is a country name: write its ISO code", f"did you mean '{named}'?"
            )
        else:
            from defa_check.inputs.geo import suggest_country

            near = suggest_country(part)
            code = COUNTRY_NAMES.get(near or "") or CLOUD_REGIONS.get(near or "")
            self.problem(
                cell,
                f"{quote(part)} is not an ISO country code" + (" or cloud region" if regions else ""),
                f"did you mean '{code}'?" if code else None,
            )
        return None


def _show_date(value: Any) -> str:
    return value.date().isoformat() if isinstance(value, dt.datetime) else str(value)


def _read_row(ropa: Ropa, number: int, cells: dict[str, _Cell]) -> RopaRow:
    where = f"{ropa.path}, sheet {ropa.sheet}, row {number}" if ropa.sheet else f"{ropa.path}, row {number}"
    row = RopaRow(row=number, where=where)
    r = _RowReader(ropa, row, cells)
    row.activity, _ = r.text("activity", required=True)
    ident, cell = r.text("id")
    if ident and cell is not None:
        if re.fullmatch(r"[A-Za-z0-9_.-]+", ident):
            row.id = ident
        else:
            r.problem(
                cell, f"ID {quote(ident)} may hold only letters, digits, - _ and .", code="invalid-value"
            )
    row.data_categories = (
        r.mapped_list(
            "data_categories",
            words.data_category_keys,
            words.category_choices,
            "data category",
            required=True,
        )
        or []
    )
    row.subjects = (
        r.mapped_list(
            "subjects", words.data_subject_key, words.subject_choices, "data subject", required=True
        )
        or []
    )
    parts, cell = r.listed("subject_countries", required=True)
    if cell is not None:
        for part in parts:
            code = r.country(part, cell, regions=False)
            if code and code not in row.subject_countries:
                row.subject_countries.append(code)
    text, cell = r.text("count")
    if text and cell is not None:
        if re.fullmatch(r"\d[\d,_ ]*", text):
            row.count = int(re.sub(r"[,_ ]", "", text))
        else:
            r.problem(cell, f"Number of subjects: {quote(text)} is not a whole number", code="wrong-type")
    text, cell = r.text("children")
    if text and cell is not None:
        answer = words.normalise(text)
        if answer in ("yes", "y", "true"):
            row.children = True
        elif answer in ("no", "n", "false"):
            row.children = False
        else:
            r.problem(cell, f"Children: {quote(text)} is neither yes nor no")
    row.purposes = (
        r.mapped_list("purposes", words.data_use_key, words.use_choices, "purpose", required=True) or []
    )
    row.legal_bases = r.closed("legal_bases", "legal_bases", "legal basis")
    system, _ = r.text("system")
    row.system = system or None
    parts, cell = r.listed("storage", required=True)
    if parts and cell is not None:
        if len(parts) > 1:
            r.problem(
                cell,
                "Storage location: give one place per row (split the activity into rows)",
                code="invalid-value",
            )
        else:
            row.storage = r.country(parts[0], cell, regions=True)
    _read_recipients(r)
    roles = r.closed("recipient_role", "recipient_role", "recipient role")
    if roles:
        if len(roles) > 1:
            r.problem(
                r.cells["recipient_role"],
                "Recipient role: give one role (split the row by role)",
                code="invalid-value",
            )
        row.recipient_role = roles[0]
    row.transfer_mechanisms = r.closed("transfer_mechanisms", "transfer_mechanisms", "transfer mechanism")
    _read_retention(r)
    row.safeguards = r.closed("safeguards", "safeguards", "security measure")
    row.assessments = r.closed("assessments", "assessments", "assessment")
    return row


def _read_recipients(r: _RowReader) -> None:
    text, cell = r.text("recipients")
    if not text or cell is None:
        return
    pieces: list[str] = []
    for piece in (p.strip() for p in re.split(r"[;\n]", text) if p.strip()):
        # 'Stripe: US, Xero: AU' - commas between recipients, as people also write them.
        pieces.extend(p.strip() for p in piece.split(",")) if piece.count(":") > 1 else pieces.append(piece)
    for piece in pieces:
        name, sep, where = piece.rpartition(":")
        if not sep or not name.strip():
            r.problem(
                cell, f"recipient {quote(piece)}: write NAME: COUNTRY, e.g. 'Stripe: US'", code="invalid-form"
            )
            continue
        code = r.country(where.strip(), cell, regions=True)
        if code:
            r.row.recipients.append(Recipient(name.strip(), code))


def _read_retention(r: _RowReader) -> None:
    cell = r.cells.get("retention")
    if cell is None:
        return
    if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
        r.problem(
            cell,
            f"Retention: a bare number ({_text(cell.value)}) says no unit",
            hint=f"write '{_text(cell.value)} months' or '{_text(cell.value)} years'",
            code="wrong-type",
        )
        return
    text, _ = r.text("retention")
    if not text:
        return
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        r.problem(
            cell,
            f"Retention: a bare number ({text}) says no unit",
            hint=f"write '{text} months' or '{text} years'",
            code="wrong-type",
        )
        return
    parsed = words.parse_retention(text)
    if parsed is None:
        r.problem(
            cell,
            f"Retention: cannot read {quote(text)}",
            hint="write e.g. '24 months', '7 years (tax law)', 'until purpose ends' or 'indefinite'",
            code="invalid-value",
        )
        return
    r.row.retention, r.row.retention_lost = parsed.value, parsed.lost
