"""``readmit screen`` and ``readmit compare``: screening from two CSV files, no database.

Everything is read and validated before anything is computed, and computed before
anything is written: a malformed row stops the run with ``file:line: column ...`` on
stderr and exit code 2, and neither stdout nor ``--out`` receives a partial result.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readmit.screening.matching import Hit, Index, Record, parse_partial_date, score
from readmit.screening.matching.batch import screen_all
from readmit.screening.matching.records import PartialDate

EXIT_INPUT_ERROR = 2
DEFAULT_THRESHOLD = 0.80
SCREEN_HEADER = ("list_id", "watchlist_id", "score", "matched_name", "explanation")
COMPARE_HEADER = ("left", "right", "score", "explanation")
PROGRESS_EVERY = 1000


class InputError(Exception):
    """Malformed input; the message already names the file, line and column."""


@dataclass(frozen=True, slots=True)
class Row:
    """One CSV data row with the physical line it started on."""

    line: int
    values: dict[str, str]


# -- reading -----------------------------------------------------------------------------
def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"{path}:{line}: byte {column}: not valid UTF-8 (byte 0x{data[exc.start]:02x})"
        ) from None


def read_rows(path: Path, required: Sequence[str]) -> tuple[list[str], list[Row]]:
    """Header and rows of a UTF-8 CSV file, checking required columns and field counts."""
    reader = csv.reader(io.StringIO(_decode(path), newline=""), strict=True)
    rows: list[Row] = []
    try:
        header = [h.strip() for h in next(reader, [])]
        if not header:
            raise InputError(f"{path}:1: empty file, expected a header with {','.join(required)}")
        missing = [name for name in required if name not in header]
        if missing:
            raise InputError(
                f"{path}:1: missing required column {', '.join(repr(m) for m in missing)}"
                f" (header is {','.join(header)})"
            )
        start = reader.line_num + 1
        for fields in reader:
            if not any(f.strip() for f in fields):
                start = reader.line_num + 1
                continue  # blank lines are harmless
            if len(fields) != len(header):
                raise InputError(
                    f"{path}:{start}: expected {len(header)} fields, found {len(fields)}"
                )
            rows.append(Row(start, dict(zip(header, fields, strict=True))))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: malformed CSV: {exc}") from None
    return header, rows


def _text(row: Row, column: str) -> str | None:
    value = row.values.get(column, "").strip()
    return value or None


def _required_text(path: Path, row: Row, column: str) -> str:
    value = _text(row, column)
    if value is None:
        raise InputError(f"{path}:{row.line}: column {column}: empty {column}")
    return value


def _date(path: Path, row: Row, column: str) -> PartialDate | None:
    value = _text(row, column)
    if value is None:
        return None
    try:
        return parse_partial_date(value)
    except ValueError as exc:
        raise InputError(f"{path}:{row.line}: column {column}: {exc}") from None


def _unique_ids(path: Path, rows: Sequence[Row], records: Sequence[Record]) -> None:
    first_line: dict[str, int] = {}
    for row, record in zip(rows, records, strict=True):
        if record.id in first_line:
            raise InputError(
                f"{path}:{row.line}: column id: duplicate id {record.id!r}"
                f" (first on line {first_line[record.id]})"
            )
        first_line[record.id] = row.line


def load_list(path: Path) -> list[Record]:
    """Records to screen: ``id,name`` plus optional split names, date, nationality, document."""
    _, rows = read_rows(path, ("id", "name"))
    records = [
        Record(
            id=_required_text(path, row, "id"),
            name=_required_text(path, row, "name"),
            given_names=_text(row, "given_names"),
            family_name=_text(row, "family_name"),
            birth_date=_date(path, row, "birth_date"),
            nationality=_text(row, "nationality"),
            document_number=_text(row, "document_number"),
        )
        for row in rows
    ]
    _unique_ids(path, rows, records)
    return records


def load_watchlist(path: Path) -> list[Record]:
    """Watchlist records: ``id,name`` plus optional ``;``-separated aliases and evidence."""
    _, rows = read_rows(path, ("id", "name"))
    records = [
        Record(
            id=_required_text(path, row, "id"),
            name=_required_text(path, row, "name"),
            aliases=tuple(a.strip() for a in (_text(row, "aliases") or "").split(";") if a.strip()),
            birth_date=_date(path, row, "birth_date"),
            nationality=_text(row, "nationality"),
            document_number=_text(row, "document_number"),
        )
        for row in rows
    ]
    _unique_ids(path, rows, records)
    return records


# -- writing -----------------------------------------------------------------------------
def render_csv(header: Sequence[str], rows: Iterator[Sequence[str]]) -> str:
    """The whole output as one string, so that nothing is written before it is complete."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file in the same directory and rename over the target."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomically(out, text)


def _score_text(value: float) -> str:
    return f"{value:.4f}"


# -- commands ----------------------------------------------------------------------------
def _progress_printer(total: int) -> Callable[[int, int], None] | None:
    if total < PROGRESS_EVERY or not sys.stderr.isatty():
        return None
    last = [0]

    def report(done: int, all_: int) -> None:
        if done - last[0] >= PROGRESS_EVERY or done == all_:
            last[0] = done
            print(f"screened {done}/{all_}", file=sys.stderr, flush=True)

    return report


def _report_unscreenable(path: Path, records: Sequence[Record]) -> int:
    """One stderr line per record the matcher cannot read; their number.

    Such a record is neither an error nor a clean result: it was not screened, and the
    operator must see that (a name in a script we do not read, or no name part left).
    """
    count = 0
    for record in records:
        reason = record.unscreenable_reason()
        if reason is not None:
            count += 1
            print(
                f"readmit screen: {path}: id {record.id}: NOT SCREENABLE ({reason})",
                file=sys.stderr,
            )
    return count


def cmd_screen(args: argparse.Namespace) -> int:
    """``readmit screen LIST.csv --against WATCHLIST.csv``."""
    started = time.perf_counter()
    out = Path(args.out) if args.out else None
    try:
        if args.jobs > 1 and (args.dask_workers is not None or args.scheduler is not None):
            raise InputError(
                "--jobs forks processes on this machine; with --dask-workers or --scheduler"
                " the Dask workers do the work: leave --jobs out"
            )
        if out is not None and not (out.parent if str(out.parent) else Path(".")).is_dir():
            raise InputError(f"{out}: cannot write: directory {out.parent} does not exist")
        people = load_list(Path(args.list))
        watchlist = load_watchlist(Path(args.against))
    except InputError as exc:
        print(f"readmit screen: {exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    unscreenable = _report_unscreenable(Path(args.list), people)
    unscreenable_watchlist = _report_unscreenable(Path(args.against), watchlist)
    if args.dask_workers is not None or args.scheduler is not None:
        try:
            results = _screen_on_dask(args, watchlist, people)
        except ImportError as exc:
            print(
                f"readmit screen: --dask-workers and --scheduler need the optional extra"
                f" 'scale' (pip install 'readmit[scale]'): {exc}",
                file=sys.stderr,
            )
            return EXIT_INPUT_ERROR
    else:
        index = Index(watchlist, calibration=args.calibrated)
        results = screen_all(
            index, people, args.threshold, jobs=args.jobs, progress=_progress_printer(len(people))
        )
    rows = (
        (person.id, hit.record.id, _score_text(hit.score), hit.matched_name, hit.explanation)
        for person, hits in zip(people, results, strict=True)
        for hit in hits
    )
    text = render_csv(SCREEN_HEADER, rows)
    try:
        _emit(text, out)
    except OSError as exc:
        print(f"readmit screen: {out}: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    matches = sum(len(hits) for hits in results)
    print(
        f"readmit screen: {len(people)} records against {len(watchlist)} watchlist records:"
        f" {matches} matches at or above {args.threshold:.2f}"
        f" in {time.perf_counter() - started:.1f} s;"
        f" NOT SCREENABLE: {unscreenable} records, {unscreenable_watchlist} watchlist records",
        file=sys.stderr,
    )
    return 0


def _screen_on_dask(
    args: argparse.Namespace, watchlist: list[Record], people: list[Record]
) -> list[list[Hit]]:
    """Screening partitioned on Dask distributed (matching.cluster); same matches."""
    from readmit.screening.matching.cluster import connect, screen_on_cluster

    with connect(scheduler=args.scheduler, workers=args.dask_workers or 1) as client:
        return screen_on_cluster(
            client,
            watchlist,
            people,
            args.threshold,
            calibration=args.calibrated,
            partition_size=args.partition_size,
        )


def load_pairs(path: Path) -> list[tuple[Record, Record]]:
    """Pairs to compare: ``left,right`` plus optional ``left_birth_date,right_birth_date``."""
    _, rows = read_rows(path, ("left", "right"))
    return [
        (
            Record(
                id=f"{row.line}L",
                name=_required_text(path, row, "left"),
                birth_date=_date(path, row, "left_birth_date"),
            ),
            Record(
                id=f"{row.line}R",
                name=_required_text(path, row, "right"),
                birth_date=_date(path, row, "right_birth_date"),
            ),
        )
        for row in rows
    ]


def cmd_compare(args: argparse.Namespace) -> int:
    """``readmit compare PAIRS.csv``: score and explain each pair."""
    try:
        pairs = load_pairs(Path(args.pairs))
    except InputError as exc:
        print(f"readmit compare: {exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    rows = []
    for left, right in pairs:
        match = score(left, right)
        rows.append((left.name, right.name, _score_text(match.score), match.explanation))
    _emit(render_csv(COMPARE_HEADER, iter(rows)), None)
    return 0


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def register(sub: Any) -> None:
    """Add ``screen`` and ``compare`` to the ``readmit`` subcommands."""
    screen = sub.add_parser(
        "screen",
        help="screen a list of people against a watchlist (CSV in, CSV out)",
        description="Screen LIST.csv against WATCHLIST.csv; see docs/screening.md.",
    )
    screen.add_argument(
        "list",
        metavar="LIST.csv",
        help="id,name[,given_names,family_name,birth_date,nationality,document_number]",
    )
    screen.add_argument(
        "--against",
        required=True,
        metavar="WATCHLIST.csv",
        help="id,name[,aliases,birth_date,nationality,document_number]",
    )
    screen.add_argument(
        "--threshold",
        type=_threshold,
        default=DEFAULT_THRESHOLD,
        metavar="T",
        help="report pairs scoring at least T (default 0.80)",
    )
    screen.add_argument("--out", metavar="FILE", help="write the CSV here instead of stdout")
    screen.add_argument(
        "--calibrated",
        action="store_true",
        help="calibrate scores against the watchlist: fewer alerts on common names, less"
        " recall (off by default; see docs/screening.md)",
    )
    screen.add_argument(
        "--jobs", type=_jobs, default=1, metavar="N", help="query with N processes (default 1)"
    )
    dask = screen.add_mutually_exclusive_group()
    dask.add_argument(
        "--dask-workers",
        type=_jobs,
        metavar="K",
        help="screen on a local Dask cluster of K worker processes (extra 'scale')",
    )
    dask.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="screen on the Dask cluster whose scheduler is at ADDRESS, e.g."
        " tcp://scheduler.example:8786 (extra 'scale')",
    )
    screen.add_argument(
        "--partition-size",
        type=_jobs,
        default=1000,
        metavar="P",
        help="people per Dask partition (default 1000)",
    )
    screen.set_defaults(func=cmd_screen)

    compare = sub.add_parser(
        "compare",
        help="score name pairs and explain each score",
        description="Score each left,right pair of PAIRS.csv; see docs/screening.md.",
    )
    compare.add_argument(
        "pairs", metavar="PAIRS.csv", help="left,right[,left_birth_date,right_birth_date]"
    )
    compare.set_defaults(func=cmd_compare)


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry (``python -m readmit.screening.cli``) with only these commands."""
    parser = argparse.ArgumentParser(prog="readmit")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
