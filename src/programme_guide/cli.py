"""`programme-guide`: check, report on and exchange the guide's data.

    programme-guide check                      validate the model and every locale file
    programme-guide status [LANG...] [--json] [--list]  what is translated, draft, outdated, missing
    programme-guide export LANG --format po|xliff -o FILE [--force]
    programme-guide export LANG|all --format tbx -o FILE [--force]   the official terms, for CAT tools
    programme-guide import LANG FILE
    programme-guide stamp LANG KEY...          confirm entries match the current Dutch text
    programme-guide review LANG KEY... | --all  mark entries as reviewed by a person
    programme-guide generate OUT_DIR [--lang LANG...]   write the Markdown tree and its navigation
    programme-guide finish SITE_DIR [--site-url URL] [--step STEP...]   open data, 404 pages, sitemap, PDFs, search
    programme-guide build [--jobs N] [--site-dir DIR] [--lang LANG...]   build the languages side by side
    programme-guide publish [--remote R] [--branch B] [--message M] [--dry-run]   check, build, verify, deploy

Exit codes, the same for every command:
  0  done, nothing wrong
  1  problems found in the data or in the file given (each named with file, line and fix), or the
     command could not finish (another build holds the output folder, a tool it runs failed)
  2  wrong usage: an unknown command, option, language or key, a missing argument, a data folder or
     file that does not exist (or a folder where a file belongs), a PO/XLIFF file for another language,
     an output that would overwrite something or land in data/, a branch publish must not write

Errors are one paragraph without a Python traceback; `programme-guide --debug COMMAND` shows it.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from dataclasses import asdict, replace
from pathlib import Path

from . import exchange, terms
from .atomic import write_atomic
from .build import BuildError
from .build import add_arguments as add_build_arguments
from .build import run as run_build
from .deadlines import build_moment, stale_facts
from .edits import EditLinks, WorkItem, work_items
from .errors import DataError, Problem, UsageError
from .facts import load_facts
from .finish import STEPS, FinishError, finish, inspect
from .generate import LockTimeout, generate, load
from .localefile import Saved, save_translation
from .locales import Catalog, Entry, Locale, fingerprint, load_catalog
from .model import load_guide
from .publish import DEFAULT_MESSAGE, Options, publish

LISTED = 20  # keys named per language and state in `status`; the rest are counted


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    data_dir = Path(args.data).resolve()
    try:
        if not data_dir.is_dir():
            raise UsageError(f"{args.data}: no such data folder; run the command in the project folder or use --data")
        return args.func(args, data_dir)
    except DataError as exc:
        if args.debug:
            traceback.print_exc()
        print(exc.format(Path.cwd()), file=sys.stderr)
        return 1
    except UsageError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"programme-guide: {exc}", file=sys.stderr)
        return 2
    except (LockTimeout, OSError, BuildError, FinishError) as exc:
        if args.debug:
            raise
        print(f"programme-guide: {_describe_fault(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:
        if args.debug:
            raise
        print(
            f"programme-guide: unexpected error ({type(exc).__name__}: {exc}). Nothing was changed unless the "
            "output above says so. Run the command again with --debug for the details and report them.",
            file=sys.stderr,
        )
        return 1


def _describe_fault(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}; check the path and its permissions, then run the command again"
    return str(exc)


def _parser() -> argparse.ArgumentParser:
    description, epilog = __doc__.split("\n\n")[0], __doc__.split("Exit codes", 1)[1]
    parser = argparse.ArgumentParser(
        prog="programme-guide",
        description=description,
        epilog="Exit codes" + epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data", default="data", help="the data folder (default: ./data)")
    parser.add_argument("--debug", action="store_true", help="show the Python traceback of an error")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate the model and all locale files")
    check.set_defaults(func=cmd_check)

    status = commands.add_parser("status", help="translation status per language")
    status.add_argument("languages", nargs="*", metavar="LANG")
    status.add_argument("--json", action="store_true", help="print JSON instead of a table")
    status.add_argument("--fail-under", type=float, metavar="PCT", help="exit 1 if a language's coverage is lower")
    status.add_argument(
        "--list", action="store_true", help="list each outdated and draft text with its file, line, excerpt and note"
    )
    status.set_defaults(func=cmd_status)

    export = commands.add_parser(
        "export",
        help="write a PO or XLIFF file, or the termbase as TBX, for a CAT tool",
        description="Write a language's texts as PO or XLIFF, or the termbase of official terms as TBX (LANG with "
        "the Dutch terms, or 'all' languages).",
    )
    export.add_argument("language", metavar="LANG", help="a language code; with --format tbx also 'all'")
    export.add_argument("--format", choices=(*exchange.FORMATS, "tbx"), default="po")
    export.add_argument("-o", "--output", required=True, metavar="FILE", help="a new file, outside data/")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
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
    gen.add_argument("--repo-url", metavar="URL", help="link the pages' texts to their lines in the locale files there")
    gen.add_argument("--edit-branch", default="main", metavar="BRANCH", help="the branch to edit (default: main)")
    gen.set_defaults(func=cmd_generate)

    fin = commands.add_parser(
        "finish",
        help="finish a built site: open data, 404 pages, sitemap and hreflang links, PDFs, search index",
        description="Do every step after the HTML pages that needs no site engine, on the folder of a built site "
        "(source language at the root, the others under <code>/): the open-data exports and a 404 page of each "
        "language built, the sitemap and hreflang links, the PDFs, the Pagefind index. What is already right stays "
        "as it is.",
    )
    fin.add_argument("site", metavar="SITE_DIR")
    fin.add_argument("--site-url", help="the site's address (default: the canonical link of SITE_DIR/index.html)")
    fin.add_argument("--step", action="append", dest="steps", choices=STEPS, help="run only this step (repeatable)")
    fin.set_defaults(func=cmd_finish)

    bld = commands.add_parser(
        "build",
        help="build every language strictly, in parallel processes, into one site",
        description="Build the languages in `mkdocs build --strict` processes side by side, merge their folders "
        "into one site and index it for search: the same bytes as one `mkdocs build`, in less time.",
    )
    add_build_arguments(bld)
    bld.set_defaults(func=run_build)

    pub = commands.add_parser(
        "publish",
        help="check, build and verify the site, then deploy it to gh-pages",
        description="Check the data, build every language into a temporary folder, check the built site, then "
        "commit it to the pages branch and push it. Refuses uncommitted changes and any branch that holds the "
        "sources (the checked-out branch, the remote's default branch); keeps CNAME, .nojekyll and the --keep "
        "paths that are on the branch. On any failure or stop signal the branch stays as it was.",
    )
    pub.add_argument("--remote", default="origin", help="git remote to push to (default: origin)")
    pub.add_argument("--branch", default="gh-pages", help="branch to publish to (default: gh-pages)")
    pub.add_argument("--message", default=DEFAULT_MESSAGE, help="commit message; {sha} and {version} are filled in")
    pub.add_argument("--dry-run", action="store_true", help="check, build and verify only; change no branch")
    pub.add_argument("--output", type=Path, metavar="DIR", help="also keep the checked site in DIR (a new folder)")
    pub.add_argument("--allow-dirty", action="store_true", help="publish even with uncommitted changes")
    pub.add_argument(
        "--keep",
        action="append",
        default=[],
        metavar="PATTERN",
        help="keep the files and folders on the branch that match PATTERN (a path or glob, e.g. v2025 or "
        "'google*.html'; repeatable); CNAME and .nojekyll are always kept",
    )
    pub.set_defaults(func=cmd_publish)
    return parser


def cmd_check(args: argparse.Namespace, data_dir: Path) -> int:
    catalog = load(data_dir)
    term_warnings = _check_terms(catalog)
    n_lang = len(catalog.locales)
    n_keys = len(catalog.source.entries)
    n_facts = len(catalog.facts.actions) if catalog.facts else 0
    print(
        f"OK: the model, the facts of {n_facts} actions and {n_lang} locale files are valid "
        f"({n_keys} texts in the source language)."
    )
    _warn_stale_facts(catalog.facts, data_dir)
    _print_warnings(term_warnings, "about terms not yet confirmed as official")
    return 0


def _check_terms(catalog: Catalog) -> list[Problem]:
    """The termbase and the source notes: raise DataError for a translation without its confirmed official term;
    return the warnings (texts without an unconfirmed term)."""
    termbase = terms.load_termbase(catalog.guide)
    findings = terms.check_terms(catalog, termbase) if termbase else terms.Findings([], [])
    problems = terms.source_note_problems(catalog) + findings.errors
    if problems:
        raise DataError(problems, listed=LISTED, subject="the official terms and source notes")
    return findings.warnings


def _print_warnings(warnings: list[Problem], what: str) -> None:
    for warning in warnings[:LISTED]:
        print(f"warning: {warning.format(Path.cwd())}", file=sys.stderr)
    if len(warnings) > LISTED:
        print(f"warning: ... and {len(warnings) - LISTED} more warnings {what}", file=sys.stderr)


def _warn_stale_facts(facts, data_dir: Path) -> list:
    """Print what is out of date in facts.yml (stale facts are warnings: the site still says so plainly)."""
    warnings = stale_facts(facts, data_dir / "facts.yml", build_moment(data_dir)) if facts else []
    for warning in warnings:
        print(f"warning: {warning.format(Path.cwd())}", file=sys.stderr)
    return warnings


def cmd_status(args: argparse.Namespace, data_dir: Path) -> int:
    guide = load_guide(data_dir)
    catalog = load_catalog(guide)
    codes = args.languages or list(guide.language_codes)
    unknown = [c for c in codes if c not in guide.language_codes]
    if unknown:
        raise UsageError(f"unknown language: {', '.join(unknown)}; configured: {', '.join(guide.language_codes)}")
    rows = {code: catalog.counts(code) for code in codes}
    if args.json:
        report = {code: {**asdict(c), "coverage": round(c.coverage, 1)} for code, c in rows.items()}
        if args.list:
            for code in rows:
                report[code]["work"] = [_work_json(item) for item in work_items(catalog, code)]
        print(json.dumps(report, indent=2, sort_keys=True))
    else:
        print(_status_table(catalog, rows))
        if args.list:
            print(_work_lists(catalog, rows))
        if not args.languages:
            _warn_stale_facts(load_facts(guide), data_dir)
    if args.fail_under is not None:
        low = [code for code, c in rows.items() if c.coverage < args.fail_under]
        if low:
            print(f"coverage under {args.fail_under:g}% in: {', '.join(low)}", file=sys.stderr)
            return 1
    return 0


def _work_lists(catalog: Catalog, rows: dict) -> str:
    """Per language, what the status page lists: each outdated, then each draft text, with its place and note."""
    lines = []
    for code in rows:
        items = work_items(catalog, code)
        if code == catalog.guide.source_language:
            continue
        lines.append(f"\n{code}: {len(items)} texts to update or review (outdated first, then drafts)")
        for item in items:
            where = Problem(item.path, "", line=item.line).format(Path.cwd()).removesuffix(": ")
            lines.append(f"  {where}: {item.key} ({item.state}): {json.dumps(item.excerpt, ensure_ascii=False)}")
            if item.note:
                lines.append(f"      note: {item.note}")
    return "\n".join(lines)


def _work_json(item: WorkItem) -> dict:
    return {"key": item.key, "state": item.state, "line": item.line, "excerpt": item.excerpt, "note": item.note}


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
        what = "the source language" if lang == guide.source_language else "not a configured translation language"
        raise UsageError(f"'{lang}' is {what}; use one of: {', '.join(others)}")
    return load_catalog(guide, [lang], allow_missing=True)


def cmd_export(args: argparse.Namespace, data_dir: Path) -> int:
    if args.format == "tbx":
        return _export_terms(args, data_dir)
    catalog = _catalog_for_exchange(data_dir, args.language)
    target = _export_target(Path(args.output), data_dir, args.force)
    data = exchange.export(catalog, args.language, args.format)
    write_atomic(target, data)
    print(f"wrote {args.output} ({len(catalog.source.entries)} units, {args.format})")
    return 0


def _export_terms(args: argparse.Namespace, data_dir: Path) -> int:
    """The termbase as TBX: one language with the Dutch terms, or all languages."""
    guide = load_guide(data_dir)
    if args.language != "all" and args.language not in guide.language_codes:
        raise UsageError(f"unknown language '{args.language}'; use 'all' or one of: {', '.join(guide.language_codes)}")
    languages = list(guide.language_codes) if args.language == "all" else [guide.source_language, args.language]
    target = _export_target(Path(args.output), data_dir, args.force)
    termbase = terms.load_termbase(guide)
    if termbase is None:
        hint = "create it as README.md describes (Termbase), then export again"
        raise DataError([Problem(data_dir / terms.TERMBASE, "there is no termbase to export", hint)])
    write_atomic(target, terms.export_tbx(termbase, languages, guide.source_language))
    count = len(dict.fromkeys(languages))
    print(f"wrote {args.output} ({len(termbase.definitions)} concepts in {count} languages, tbx)")
    return 0


def _export_target(target: Path, data_dir: Path, force: bool) -> Path:
    """The file to export to: a new file (or an existing one with --force) in an existing folder outside data/."""
    resolved = target.resolve()
    if resolved == data_dir or data_dir in resolved.parents:
        raise UsageError(f"{target} is inside the data folder {data_dir}; export to a file outside it")
    if target.is_dir():
        raise UsageError(f"{target} is a folder; name the file to write, e.g. {target / 'translation.po'}")
    if not resolved.parent.is_dir():
        raise UsageError(f"the folder {target.parent} does not exist; create it first or choose another path")
    if target.exists() and not force:
        raise UsageError(f"{target} already exists; choose a new file name, or add --force to replace it")
    return resolved


def cmd_import(args: argparse.Namespace, data_dir: Path) -> int:
    catalog = _catalog_for_exchange(data_dir, args.language)
    entries, report = exchange.import_units(catalog, args.language, Path(args.file))
    locale = catalog.locales[args.language]
    name = catalog.guide.language(args.language).name
    changed = bool(report.added or report.changed)
    saved = Saved(False)
    if changed:
        saved = save_translation(Locale(locale.code, locale.path, locale.review, entries), catalog.source, name)
    print(
        f"{args.language}: {len(report.added)} added, {len(report.changed)} changed, {report.unchanged} unchanged; "
        f"{'wrote ' + str(locale.path) if saved else 'locale file unchanged'}"
    )
    for key in report.kept_empty:
        print(f"  kept existing text for '{key}' (empty in the imported file)")
    _warn_layout(saved, locale.path)
    return 0


def _warn_layout(saved: Saved, path: Path) -> None:
    if saved and not saved.layout_kept:
        print(f"note: {path} was rewritten in the standard layout; its own layout could not be kept", file=sys.stderr)


def cmd_stamp(args: argparse.Namespace, data_dir: Path) -> int:
    def stamp(catalog: Catalog, entry: Entry) -> Entry:
        return replace(entry, source=fingerprint(catalog.source.entries[entry.key].text))

    return _update(args, data_dir, args.keys, stamp, "now match the current Dutch text")


def cmd_review(args: argparse.Namespace, data_dir: Path) -> int:
    if not args.keys and not args.all:
        raise UsageError("name the keys to mark as reviewed, or use --all")

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
        raise UsageError(f"no translated entry for: {', '.join(unknown)}; see `programme-guide status {args.language}`")
    outdated = [k for k in keys if catalog.text(args.language, k).state == "outdated"]
    if refuse_outdated and outdated:
        hint = f"check them against the new Dutch text, then `programme-guide stamp {args.language} KEY...`"
        print(f"outdated entries cannot be marked reviewed: {', '.join(outdated)}; {hint}", file=sys.stderr)
        return 1
    for key in keys:
        entries[key] = change(catalog, entries[key])
    name = catalog.guide.language(args.language).name
    saved = save_translation(Locale(locale.code, locale.path, locale.review, entries), catalog.source, name)
    print(f"{args.language}: {len(keys)} entries {done}")
    _warn_layout(saved, locale.path)
    return 0


def cmd_generate(args: argparse.Namespace, data_dir: Path) -> int:
    output = Path(args.output)
    if output.exists() and not output.is_dir():
        raise UsageError(f"{output} is a file; name a folder to write the Markdown tree into")
    guide = load_guide(data_dir)
    unknown = [code for code in args.languages or [] if code not in guide.language_codes]
    if unknown:
        raise UsageError(f"unknown language: {', '.join(unknown)}; configured: {', '.join(guide.language_codes)}")
    try:
        edit = EditLinks(args.repo_url, args.edit_branch) if args.repo_url else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    _, result = generate(data_dir, output, args.languages, edit)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{len(result.written)} pages written, {result.unchanged} unchanged, {len(result.removed)} removed")
    return 0


def cmd_finish(args: argparse.Namespace, data_dir: Path) -> int:
    folder = Path(args.site)
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder; give the folder of a built site")
    site = inspect(folder, load(data_dir), args.site_url)
    finish(site, args.steps or STEPS)
    return 0


def cmd_publish(args: argparse.Namespace, data_dir: Path) -> int:
    options = Options(
        args.remote, args.branch, args.message, args.dry_run, args.output, args.allow_dirty, tuple(args.keep)
    )
    return publish(data_dir, options)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
