"""`programme-guide`: check, report on and exchange the guide's data.

    programme-guide check                      validate the model and every locale file
    programme-guide status [LANG...] [--json]  what is translated, draft, outdated, missing
    programme-guide export LANG --format po|xliff -o FILE
    programme-guide import LANG FILE
    programme-guide stamp LANG KEY...          confirm entries match the current Dutch text
    programme-guide review LANG KEY... | --all  mark entries as reviewed by a person
    programme-guide generate OUT_DIR [--lang LANG...]   write the Markdown tree
    programme-guide publish [--remote R] [--branch B] [--message M] [--dry-run]   check, build, verify, deploy

Exit codes: 0 success, 1 invalid data or failed check, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, replace
from pathlib import Path

from . import exchange
from .errors import DataError, Problem
from .generate import generate, load
from .localefile import save_translation
from .locales import Catalog, Entry, Locale, fingerprint, load_catalog
from .model import load_guide
from .publish import DEFAULT_MESSAGE, Options, publish

LISTED = 20  # keys named per language and state in `status`; the rest are counted


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    data_dir = Path(args.data).resolve()
    try:
        return args.func(args, data_dir)
    except DataError as exc:
        print(exc.format(Path.cwd()), file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="programme-guide", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="data", help="the data folder (default: ./data)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate the model and all locale files")
    check.set_defaults(func=cmd_check)

    status = commands.add_parser("status", help="translation status per language")
    status.add_argument("languages", nargs="*", metavar="LANG")
    status.add_argument("--json", action="store_true", help="print JSON instead of a table")
    status.add_argument("--fail-under", type=float, metavar="PCT", help="exit 1 if a language's coverage is lower")
    status.set_defaults(func=cmd_status)

    export = commands.add_parser("export", help="write a PO or XLIFF file for a CAT tool")
    export.add_argument("language", metavar="LANG")
    export.add_argument("--format", choices=exchange.FORMATS, default="po")
    export.add_argument("-o", "--output", required=True, metavar="FILE")
    export.set_defaults(func=cmd_export)

    imp = commands.add_parser("import", help="merge a PO or XLIFF file into a locale file")
    imp.add_argument("language", metavar="LANG")
    imp.add_argument("file", metavar="FILE")
    imp.set_defaults(func=cmd_import)

    stamp = commands.add_parser("stamp", help="record that entries match the current Dutch text")
    stamp.add_argument("language", metavar="LANG")
    stamp.add_argument("keys", nargs="+", metavar="KEY")
    stamp.set_defaults(func=cmd_stamp)

    review = commands.add_parser("review", help="mark entries as reviewed by a person")
    review.add_argument("language", metavar="LANG")
    review.add_argument("keys", nargs="*", metavar="KEY")
    review.add_argument("--all", action="store_true", help="every translated entry that is not outdated")
    review.set_defaults(func=cmd_review)

    gen = commands.add_parser("generate", help="write the generated Markdown tree to a folder")
    gen.add_argument("output", metavar="OUT_DIR")
    gen.add_argument("--lang", action="append", dest="languages", metavar="LANG")
    gen.set_defaults(func=cmd_generate)

    pub = commands.add_parser("publish", help="check, build and verify the site, then deploy it to gh-pages")
    pub.add_argument("--remote", default="origin", help="git remote to push to (default: origin)")
    pub.add_argument("--branch", default="gh-pages", help="branch to publish to (default: gh-pages)")
    pub.add_argument("--message", default=DEFAULT_MESSAGE, help="commit message; {sha} and {version} are filled in")
    pub.add_argument("--dry-run", action="store_true", help="check, build and verify only; change no branch")
    pub.add_argument("--output", type=Path, metavar="DIR", help="also keep the checked site in DIR (a new folder)")
    pub.set_defaults(func=cmd_publish)
    return parser


def cmd_check(args: argparse.Namespace, data_dir: Path) -> int:
    catalog = load(data_dir)
    n_lang = len(catalog.locales)
    n_keys = len(catalog.source.entries)
    n_facts = len(catalog.facts.actions) if catalog.facts else 0
    print(
        f"OK: the model, the facts of {n_facts} actions and {n_lang} locale files are valid "
        f"({n_keys} texts in the source language)."
    )
    return 0


def cmd_status(args: argparse.Namespace, data_dir: Path) -> int:
    guide = load_guide(data_dir)
    catalog = load_catalog(guide)
    codes = args.languages or list(guide.language_codes)
    unknown = [c for c in codes if c not in guide.language_codes]
    if unknown:
        print(f"unknown language: {', '.join(unknown)}; configured: {', '.join(guide.language_codes)}", file=sys.stderr)
        return 2
    rows = {code: catalog.counts(code) for code in codes}
    if args.json:
        report = {code: {**asdict(c), "coverage": round(c.coverage, 1)} for code, c in rows.items()}
        print(json.dumps(report, indent=2, sort_keys=True))
    else:
        print(_status_table(catalog, rows))
    if args.fail_under is not None:
        low = [code for code, c in rows.items() if c.coverage < args.fail_under]
        if low:
            print(f"coverage under {args.fail_under:g}% in: {', '.join(low)}", file=sys.stderr)
            return 1
    return 0


def _status_table(catalog: Catalog, rows: dict) -> str:
    columns = ("total", 7), ("translated", 12), ("reviewed", 10), ("draft", 7), ("outdated", 10), ("missing", 9)
    head = "lang " + "".join(f"{name:>{width}}" for name, width in columns) + f"{'coverage':>10}"
    lines = [head]
    for code, c in rows.items():
        lines.append(
            f"{code:<5}{c.total:>7}{c.translated:>12}{c.reviewed:>10}{c.draft:>7}{c.outdated:>10}{c.missing:>9}"
            f"{c.coverage:>9.1f}%"
        )
    labels = {"outdated": "outdated entries (the Dutch text changed)", "missing": "missing entries (shown in Dutch)"}
    for code in rows:
        for state, label in labels.items():
            keys = _keys_in_state(catalog, code, state)
            if keys:
                shown = ", ".join(keys[:LISTED]) + (f" and {len(keys) - LISTED} more" if len(keys) > LISTED else "")
                lines.append(f"\n{code}: {label}: {shown}")
    return "\n".join(lines)


def _keys_in_state(catalog: Catalog, code: str, state: str) -> list[str]:
    return [k for k in catalog.source.entries if catalog.text(code, k).state == state]


def _catalog_for_exchange(data_dir: Path, lang: str) -> Catalog:
    guide = load_guide(data_dir)
    if lang not in guide.language_codes or lang == guide.source_language:
        others = [c for c in guide.language_codes if c != guide.source_language]
        raise DataError([_usage_problem(data_dir, lang, others)])
    return load_catalog(guide, [lang], allow_missing=True)


def _usage_problem(data_dir: Path, lang: str, others: list[str]) -> Problem:
    hint = f"use one of: {', '.join(others)}"
    return Problem(data_dir / "languages.yml", f"'{lang}' is not a configured translation language", hint)


def cmd_export(args: argparse.Namespace, data_dir: Path) -> int:
    catalog = _catalog_for_exchange(data_dir, args.language)
    data = exchange.export(catalog, args.language, args.format)
    Path(args.output).write_bytes(data)
    print(f"wrote {args.output} ({len(catalog.source.entries)} units, {args.format})")
    return 0


def cmd_import(args: argparse.Namespace, data_dir: Path) -> int:
    catalog = _catalog_for_exchange(data_dir, args.language)
    entries, report = exchange.import_units(catalog, args.language, Path(args.file))
    locale = catalog.locales[args.language]
    name = catalog.guide.language(args.language).name
    changed = bool(report.added or report.changed)
    written = changed and save_translation(
        Locale(locale.code, locale.path, locale.review, entries), catalog.source, name
    )
    print(
        f"{args.language}: {len(report.added)} added, {len(report.changed)} changed, {report.unchanged} unchanged; "
        f"{'wrote ' + str(locale.path) if written else 'locale file unchanged'}"
    )
    for key in report.kept_empty:
        print(f"  kept existing text for '{key}' (empty in the imported file)")
    return 0


def cmd_stamp(args: argparse.Namespace, data_dir: Path) -> int:
    def stamp(catalog: Catalog, entry: Entry) -> Entry:
        return replace(entry, source=fingerprint(catalog.source.entries[entry.key].text))

    return _update(args, data_dir, args.keys, stamp, "now match the current Dutch text")


def cmd_review(args: argparse.Namespace, data_dir: Path) -> int:
    if not args.keys and not args.all:
        print("name the keys to mark as reviewed, or use --all", file=sys.stderr)
        return 2

    def review(catalog: Catalog, entry: Entry) -> Entry:
        return replace(entry, review="reviewed")

    return _update(args, data_dir, args.keys or None, review, "are marked as reviewed", refuse_outdated=True)


def _update(
    args: argparse.Namespace, data_dir: Path, keys: list[str] | None, change, done: str, refuse_outdated: bool = False
) -> int:
    """Apply ``change`` to the named entries (all current ones when ``keys`` is None) and save the file."""
    catalog = _catalog_for_exchange(data_dir, args.language)
    locale = catalog.locales[args.language]
    entries = dict(locale.entries)
    if keys is None:
        keys = [
            k for k in catalog.source.entries if k in entries and catalog.text(args.language, k).state != "outdated"
        ]
    unknown = [k for k in keys if k not in entries or k not in catalog.source.entries]
    if unknown:
        print(f"no translated entry for: {', '.join(unknown)}", file=sys.stderr)
        return 1
    outdated = [k for k in keys if catalog.text(args.language, k).state == "outdated"]
    if refuse_outdated and outdated:
        hint = f"check them against the new Dutch text, then `programme-guide stamp {args.language} KEY...`"
        print(f"outdated entries cannot be marked reviewed: {', '.join(outdated)}; {hint}", file=sys.stderr)
        return 1
    for key in keys:
        entries[key] = change(catalog, entries[key])
    name = catalog.guide.language(args.language).name
    save_translation(Locale(locale.code, locale.path, locale.review, entries), catalog.source, name)
    print(f"{args.language}: {len(keys)} entries {done}")
    return 0


def cmd_generate(args: argparse.Namespace, data_dir: Path) -> int:
    _, result = generate(data_dir, Path(args.output), args.languages)
    print(f"{len(result.written)} pages written, {result.unchanged} unchanged, {len(result.removed)} removed")
    return 0


def cmd_publish(args: argparse.Namespace, data_dir: Path) -> int:
    options = Options(args.remote, args.branch, args.message, args.dry_run, args.output)
    return publish(data_dir, options)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
