"""The whole Key Action 2 guide of one language as one PDF, made from the built site with WeasyPrint.

A language's PDF holds, in the guide's order (:func:`pages.site_targets`), the overview, then each family page
followed by the fact sheets of its actions. Each page is taken from the built HTML of that language: the
article only (no navigation, header, footer, scripts or hidden elements), so the PDF says what the site says.
A title page comes first: the site's name, the overview's title, the language, the address of the pages
online, the independent-edition notice with the official guide linked, the notices of the translated pages
(draft, outdated, Dutch fallback; each said once) and the day the data last changed.

Links between included pages become links inside the document; every other link becomes absolute, resolved
against the page's canonical URL. Element ids get the page's number in front, so the ids of two pages (the
same heading ids, the same source notes) do not clash. Headings become PDF bookmarks by page kind (print CSS:
``templates/pdf.css``): the overview and the families at the top level, the fact sheets below their family,
their sections below them. The document's ``lang`` is the language's code, so WeasyPrint hyphenates by it;
Dutch fallback passages keep their own ``lang``. The fonts are named in the print CSS (DejaVu Sans: Latin with
Irish and Maltese letters, Greek, Cyrillic), so no glyph depends on what fontconfig picks.

No MkDocs imports: :func:`build_pdfs` needs only the built site folder, the languages and the catalog, and
builds the languages in parallel worker processes. PDFs are byte-identical for the same site (WeasyPrint
writes no dates unless the document asks for them).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib.resources import files
from pathlib import Path
from urllib.parse import urldefrag, urljoin

from jinja2 import Environment, PackageLoader, StrictUndefined
from lxml import html
from markupsafe import Markup

from . import datacache
from .errors import DataError, Problem
from .locales import Catalog, Text
from .pages import official_url, site_targets

PDF_NAME = "programme-guide-ka2-{lang}.pdf"
KINDS = ("overview", "family", "action")  # the pages a PDF holds, by kind; in the order of site_targets
# Dropped from every page: what only a browser uses, the search's keywords, and the notices and the
# last-updated line, which the title page says once for the whole document.
SITE = "the built site"
DROPPED = "script, template, noscript, [hidden], .pg-keywords, .pg-notices, .pg-updated, .pg-edit"


def pdf_name(lang: str) -> str:
    """The file name of a language's PDF, in the folder of that language's home page."""
    return PDF_NAME.format(lang=lang)


@dataclass(frozen=True)
class TitleTexts:
    """The texts of the title page, resolved in the PDF's language."""

    site_name: Text
    title: Text
    language: str
    disclaimer: Text
    official_link: Text
    official_url: str
    reuse: Text
    reuse_url: str


@dataclass(frozen=True)
class PdfJob:
    """Everything needed to write one language's PDF (picklable: worker processes get it)."""

    lang: str
    folder: Path  # the language's folder in the built site: the site root or <site>/<lang>/
    output: Path
    pages: tuple[tuple[str, str], ...]  # (URL below the language folder, page kind), in order
    texts: TitleTexts


def build_pdfs(site_dir: Path, languages: Sequence[str], catalog: Catalog, *, jobs: int | None = None) -> list[Path]:
    """Write ``<language folder>/programme-guide-ka2-<lang>.pdf`` for each of ``languages`` into the built site
    ``site_dir`` and return their paths. The language whose pages are at the site root is read from the root
    home page's ``<html lang>`` (the source language, or the one language of a preview); the others are in
    ``<site>/<lang>/``. ``jobs`` worker processes (default: one per CPU) share the languages."""
    plan = [pdf_job(Path(site_dir), lang, catalog) for lang in languages]
    workers = min(jobs or os.cpu_count() or 1, len(plan))
    if workers <= 1:
        return [write_pdf(job) for job in plan]
    # Plain child processes running this module, not multiprocessing: its spawn and forkserver methods run
    # the caller's main script again in the child, and fork copies the locks of a caller's threads.
    shares = [plan[i::workers] for i in range(workers)]
    processes = []
    try:
        for share in shares:
            command = [sys.executable, "-m", "programme_guide.pdf"]
            process = subprocess.Popen(command, stdin=subprocess.PIPE, text=True, encoding="utf-8")
            processes.append(process)
            process.stdin.write(json.dumps([_job_to_json(job) for job in share]))
            process.stdin.close()
        failed = [process.args for process in processes if process.wait() != 0]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    if failed:
        raise RuntimeError(f"writing the PDFs failed in {len(failed)} of {workers} worker processes (see above)")
    return [job.output for job in plan]


def pdf_job(site_dir: Path, lang: str, catalog: Catalog) -> PdfJob:
    """What to put into ``lang``'s PDF and where to write it."""
    guide = catalog.guide
    folder = site_dir if root_language(site_dir) == lang else site_dir / lang
    targets = site_targets(catalog)
    pages = tuple((t.url, t.kind) for t in targets.values() if t.kind in KINDS)
    missing = [folder / url / "index.html" for url, _ in pages if not (folder / url / "index.html").is_file()]
    if missing:
        hint = "build the site in this language before its PDF"
        raise DataError([Problem(path, "page missing from the built site", hint) for path in missing], subject=SITE)
    overview = next(t for t in targets.values() if t.kind == "overview")
    texts = TitleTexts(
        site_name=catalog.text(lang, "site.name"),
        title=catalog.text(lang, overview.title_key),
        language=guide.language(lang).name,
        disclaimer=catalog.text(lang, "site.disclaimer"),
        official_link=catalog.text(lang, "site.official_link"),
        official_url=official_url(guide.official["guide"], lang, guide),
        reuse=catalog.text(lang, "site.reuse"),
        reuse_url=guide.official["reuse_decision"],
    )
    return PdfJob(lang, folder, folder / pdf_name(lang), pages, texts)


def built_languages(site_dir: Path, languages: Sequence[str]) -> list[str]:
    """Those of ``languages`` whose home page is in the built site (a build of some languages only, such as a
    preview or one process of a parallel build, has the others' PDFs made elsewhere)."""
    root = root_language(site_dir)
    return [lang for lang in languages if lang == root or (Path(site_dir) / lang / "index.html").is_file()]


def root_language(site_dir: Path) -> str | None:
    """The language of the pages at the site root (the ``lang`` of its home page)."""
    home = Path(site_dir) / "index.html"
    return html.parse(str(home)).getroot().get("lang") if home.is_file() else None


def write_pdf(job: PdfJob) -> Path:
    """Render one language's PDF with WeasyPrint; return its path."""
    from weasyprint import CSS, HTML  # imported here: only the processes that write PDFs load it

    document = HTML(string=assemble(job), base_url=job.folder.as_uri() + "/")
    stylesheet = CSS(string=files("programme_guide").joinpath("templates/pdf.css").read_text("utf-8"))
    job.output.parent.mkdir(parents=True, exist_ok=True)
    document.write_pdf(job.output, stylesheets=[stylesheet], pdf_tags=True)
    return job.output


def assemble(job: PdfJob) -> str:
    """The PDF's whole document as one HTML string: the title page, then every page's article."""
    loaded = [_load(job, n, url, kind) for n, (url, kind) in enumerate(job.pages, start=1)]
    by_address = {page.address: page for page in loaded}
    notices: list[Markup] = []
    for page in loaded:
        for notice in page.notices:
            if notice not in notices:
                notices.append(notice)
    for page in loaded:
        _relink(page, by_address)
    title = _environment().get_template("pdf.html.j2")
    return title.render(
        lang=job.lang,
        t=job.texts,
        online=loaded[0].address,
        notices=notices,
        updated=next((page.updated for page in loaded if page.updated), Markup("")),
        sections=[Markup(html.tostring(page.section, encoding="unicode")) for page in loaded],  # noqa: S704 - our own built HTML
    )


# Helpers


@dataclass
class _Page:
    number: int
    address: str  # the page's canonical URL (without fragment)
    path: Path  # its file in the built site
    section: html.HtmlElement
    ids: set[str]
    notices: list[Markup]
    updated: Markup | None


def _load(job: PdfJob, number: int, url: str, kind: str) -> _Page:
    path = job.folder / url / "index.html"
    doc = html.parse(str(path)).getroot()
    found = doc.cssselect(".pg-article") or doc.cssselect("article")
    if not found:
        raise DataError([Problem(path, "page has no article to put into the PDF")], subject=SITE)
    canonical = doc.cssselect("link[rel=canonical]")
    address = urldefrag(canonical[0].get("href") if canonical else path.as_uri())[0]
    article = found[0]
    notices = [_markup(p) for p in article.cssselect(".pg-notices .pg-notice")]
    updated = [_markup(p) for p in article.cssselect(".pg-updated")]
    for element in article.cssselect(DROPPED):
        element.drop_tree()
    for element in article.iter("details"):
        element.set("open", "")
    section = html.Element("section", {"class": f"pg-pdf-page pg-pdf-{kind}", "id": f"p{number}"})
    section.text = article.text
    section.extend(list(article))
    ids = set()
    for element in section.iter():
        if element.get("id") and element is not section:
            ids.add(element.get("id"))
            element.set("id", f"p{number}-{element.get('id')}")
    return _Page(number, address, path, section, ids, notices, updated[0] if updated else None)


def _relink(page: _Page, by_address: dict[str, _Page]) -> None:
    """Links to included pages point into the document; all others are made absolute."""
    for link in page.section.iter("a"):
        href = link.get("href")
        if href is None:
            continue
        address, fragment = urldefrag(urljoin(page.address, href))
        target = by_address.get(address)
        if target is None:
            link.set("href", urljoin(page.address, href))
        elif fragment and fragment in target.ids:
            link.set("href", f"#p{target.number}-{fragment}")
        else:
            link.set("href", f"#p{target.number}")
    for image in page.section.iter("img"):
        if image.get("src"):
            image.set("src", urljoin(page.path.as_uri(), image.get("src")))  # from the built site, not the web


def _job_to_json(job: PdfJob) -> dict:
    return {**asdict(job), "folder": str(job.folder), "output": str(job.output)}


def _job_from_json(data: dict) -> PdfJob:
    texts = {k: Text(**v) if isinstance(v, dict) else v for k, v in data["texts"].items()}
    pages = tuple((url, kind) for url, kind in data["pages"])
    return PdfJob(data["lang"], Path(data["folder"]), Path(data["output"]), pages, TitleTexts(**texts))


def _markup(element: html.HtmlElement) -> Markup:
    element.tail = None
    return Markup(html.tostring(element, encoding="unicode"))  # noqa: S704 - our own built HTML


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("programme_guide", "templates"),
        bytecode_cache=datacache.template_cache("pdf"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["lang"] = _lang_attribute
    return env


def _lang_attribute(text: Text) -> Markup:
    """A lang attribute for text shown in another language than the document's (Dutch fallback)."""
    return Markup(f' lang="{text.lang}"') if text.is_fallback else Markup("")  # noqa: S704 - a language code


if __name__ == "__main__":  # a worker of build_pdfs(): its share of the jobs as JSON on stdin
    for item in json.load(sys.stdin):
        write_pdf(_job_from_json(item))
