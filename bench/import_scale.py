"""How `programme-guide import` scales with the number of units in a PO or XLIFF file.

    python bench/import_scale.py [--units 2000 8000] [--runs 3]

For each size, writes a PO and an XLIFF file of that many units with keys the Dutch source does not
have (the case that used to take time growing with the square of the units), imports each into a
temporary copy of data/ with the real command, and prints the median wall time of the whole command
(start-up and loading the data included), the median time of reading and checking the units alone
(in this process), the exit code and the size of the error output. Import refuses such a file as a
whole, so data/ is never changed. Time per unit should stay flat as the size grows; the output stays
short because only the first problems are named.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from programme_guide import exchange
from programme_guide.errors import DataError
from programme_guide.locales import load_catalog
from programme_guide.model import load_guide

ROOT = Path(__file__).resolve().parents[1]


def po_file(units: int) -> str:
    body = "".join(f'\nmsgctxt "bench.unknown.{i}"\nmsgid "Tekst {i}"\nmsgstr "Text {i}"\n' for i in range(units))
    return 'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n' + body


def xliff_file(units: int) -> str:
    body = "".join(
        f'<trans-unit id="bench.unknown.{i}"><source>Tekst {i}</source><target>Text {i}</target></trans-unit>\n'
        for i in range(units)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        '<file original="nl.yml" source-language="nl" target-language="de" datatype="plaintext"><body>\n'
        f"{body}</body></file></xliff>\n"
    )


def time_import(data: Path, path: Path, runs: int) -> tuple[float, int, int]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "programme_guide.cli", "--data", str(data), "import", "de", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - start)
    assert result is not None
    return statistics.median(times), result.returncode, len(result.stderr.encode("utf-8"))


def time_units(data: Path, path: Path, runs: int) -> float:
    """Median seconds of exchange.import_units alone: parse the file, check every unit, collect problems."""
    catalog = load_catalog(load_guide(data), ["de"], allow_missing=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with contextlib.suppress(DataError):
            exchange.import_units(catalog, "de", path)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, nargs="+", default=[2000, 8000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = shutil.copytree(ROOT / "data", Path(tmp) / "data")
        print(f"{'format':<7}{'units':>7}{'command s':>11}{'units s':>9}{'ms/unit':>9}{'exit':>6}{'stderr bytes':>14}")
        for units in args.units:
            for fmt, make in (("po", po_file), ("xliff", xliff_file)):
                path = Path(tmp) / f"bench.{fmt}"
                path.write_text(make(units), "utf-8")
                seconds, code, err = time_import(data, path, args.runs)
                alone = time_units(data, path, args.runs)
                per_unit = 1000 * alone / units
                print(f"{fmt:<7}{units:>7}{seconds:>11.2f}{alone:>9.3f}{per_unit:>9.4f}{code:>6}{err:>14}")


if __name__ == "__main__":
    main()
