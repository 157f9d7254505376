"""The manual as pages of the site: every ``docs/manual/*.md`` rendered with markdown-it-py,
and the command-line reference generated from the commands' own ``--help``.

The Markdown files are the manual's sources (one owner each; a new file appears as a new
page, in name order); the wheel carries them as the data package ``samhandling.manual``, and
a checkout reads them from ``docs/manual/``. Each heading gets an ``id`` (its text as a
slug), a link to a heading on another page is pointed at that page, and a link to a file of
the repository (which the site does not hold) is kept as text: the site has no broken link.
Pictures under ``docs/img/`` are copied in where the checkout has them; elsewhere their
description stands in for them.

The CLI reference is ``samhandling COMMAND --help`` of every command, formatted at a fixed
width, so the reference is what the commands say today and the same bytes on every machine.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..resources import CHECKOUT_ROOT

if TYPE_CHECKING:
    import click
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from .render import SiteContent

#: Where a checkout keeps the manual's sources and pictures.
CHECKOUT_MANUAL = CHECKOUT_ROOT / "docs" / "manual"
CHECKOUT_IMAGES = CHECKOUT_ROOT / "docs" / "img"
#: Width the CLI reference's help text is formatted at (not the terminal's: same bytes).
HELP_WIDTH = 100
CLI_PAGE = "cli"


@dataclass(frozen=True)
class ManualPage:
    """One page of the manual: file stem, title (its first heading) and HTML body."""

    name: str
    title: str
    body: str


def source_files() -> list[Path]:
    """The manual's Markdown files, sorted by name: the package's, else the checkout's."""
    found: list[Path] = []
    try:
        folder = resources.files("samhandling.manual")
        found = [p for p in folder.iterdir() if isinstance(p, Path) and p.suffix == ".md"]
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError, TypeError):
        found = []
    if not found and CHECKOUT_MANUAL.is_dir():
        found = list(CHECKOUT_MANUAL.glob("*.md"))
    return sorted(found, key=lambda p: p.name)


def slug(text: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to
    dashes (``At national size`` -> ``at-national-size``)."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _inline_text(token: Token) -> str:
    return "".join(child.content for child in token.children or () if child.type in
                   ("text", "code_inline"))


def manual_pages(cli_html: str | None = None) -> dict[str, tuple[str, str]]:
    """Every page of the manual: name -> (title, HTML body); with ``cli_html`` (made by
    :func:`cli_reference`, in a background process) the command-line reference too."""
    md = _parser()
    parsed: dict[str, list[Token]] = {}
    anchors: dict[str, str] = {}
    for path in source_files():
        tokens = md.parse(path.read_text(encoding="utf-8"))
        seen: set[str] = set()
        for number, token in enumerate(tokens):
            if token.type == "heading_open":
                anchor = base = slug(_inline_text(tokens[number + 1]))
                count = 1
                while anchor in seen:  # GitHub's rule for repeated headings
                    anchor = f"{base}-{count}"
                    count += 1
                seen.add(anchor)
                token.attrSet("id", anchor)
                anchors.setdefault(anchor, path.stem)
        _lift_headings(tokens)
        parsed[path.stem] = tokens
    pages: dict[str, tuple[str, str]] = {}
    for name, tokens in parsed.items():
        title = next((_inline_text(tokens[i + 1]) for i, t in enumerate(tokens)
                      if t.type == "heading_open"), name)
        for token in tokens:
            if token.children:
                _fix_links(token.children, name, anchors)
        pages[name] = (title, md.renderer.render(tokens, md.options, {}))
    if cli_html is not None:
        pages[CLI_PAGE] = ("Command-line reference", cli_html)
    return pages


def _lift_headings(tokens: list[Token]) -> None:
    """Make a page's top heading level ``h1`` (the files were parts of one README, so most
    start at ``##``); the levels below move up with it."""
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    shift = min(levels, default=1) - 1
    if shift:
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{int(token.tag[1]) - shift}"


def _fix_links(children: list[Token], page: str, anchors: dict[str, str]) -> None:
    """Point each link of an inline run at the page that holds its target; a link to a
    repository file becomes plain text, a picture the checkout lacks its description."""
    dropped: list[bool] = []
    for token in children:
        if token.type == "image":
            src = str(token.attrGet("src") or "")
            name = src.removeprefix("docs/img/")
            if src.startswith("docs/img/") and (CHECKOUT_IMAGES / name).is_file():
                token.attrSet("src", f"img/{name}")
            elif not re.match(r"^[a-z][a-z0-9+.-]*:", src):
                token.type, token.tag, token.children = "html_inline", "", None
                token.content = f"<em>[{escape(token.content)}]</em>"
        elif token.type == "link_open":
            href = str(token.attrGet("href") or "")
            local = not href.startswith("#") and not re.match(r"^[a-z][a-z0-9+.-]*:", href)
            dropped.append(local)
            if local:
                token.type, token.tag, token.attrs = "html_inline", "", {}
                token.content = f'<span class="file" title="{escape(href)}">'
            elif href.startswith("#"):
                target = anchors.get(href[1:])
                if target is not None and target != page:
                    token.attrSet("href", f"{target}.html{href}")
        elif token.type == "link_close" and dropped and dropped.pop():
            token.type, token.tag, token.content = "html_inline", "", "</span>"


def cli_reference(cli: click.Group) -> str:
    """Every command's ``--help`` at :data:`HELP_WIDTH` columns, as HTML.

    ``cli`` is the ``samhandling`` command group, handed down by the ``docs`` command (the site
    documents the command line; it does not import it)."""
    import click

    root = click.Context(cli, info_name="samhandling", **_settings(cli))
    parts = ['<p>The output of <code>samhandling --help</code> and of each command\'s '
             "<code>--help</code>, generated from the commands themselves.</p>", "<ul>"]
    sections = [("samhandling", cli.get_help(root))]
    for name in sorted(cli.list_commands(root)):
        try:
            command = cli.get_command(root, name)
        except Exception:  # a command whose optional dependency is missing: not listed
            command = None
        if command is None:
            continue
        sections.extend(_helps(command, name, root))
    for title, _ in sections:
        parts.append(f'<li><a href="#{slug(title)}"><code>{escape(title)}</code></a></li>')
    parts.append("</ul>")
    for title, help_text in sections:
        parts.append(f'<h2 id="{slug(title)}"><code>{escape(title)}</code></h2>')
        parts.append(f"<pre>{escape(help_text)}</pre>")
    return "\n".join(parts) + "\n"


def _settings(command: click.Command) -> dict[str, Any]:
    """The command's own context settings (``-h`` for help ...), at the reference's width."""
    return {**command.context_settings, "terminal_width": HELP_WIDTH,
            "max_content_width": HELP_WIDTH}


def _helps(command: click.Command, name: str,
           parent: click.Context) -> list[tuple[str, str]]:
    """(``samhandling NAME``, help text) of a command and, for a group, of each subcommand."""
    import click

    ctx = click.Context(command, info_name=name, parent=parent, **_settings(command))
    found = [(ctx.command_path, command.get_help(ctx))]
    if isinstance(command, click.Group):
        for sub in command.list_commands(ctx):
            child = command.get_command(ctx, sub)
            if child is not None:
                found.extend(_helps(child, sub, ctx))
    return found


def manual_files(content: SiteContent) -> Iterator[tuple[str, bytes]]:
    """The manual's pages under ``manual/``, its index, and the pictures it shows."""
    from .render import Renderer

    renderer = Renderer(content)
    names = list(content.manual)
    for name, (title, body) in content.manual.items():
        yield f"manual/{name}.html", renderer.manual_page(f"manual/{name}.html", title, body,
                                                          names)
    intro = next(iter(content.manual.values()), ("Manual", ""))
    yield "manual/index.html", renderer.manual_page("manual/index.html", "Manual", intro[1],
                                                    names, toc=True)
    shown = "".join(body for _, body in content.manual.values())
    for picture in sorted(set(re.findall(r'src="img/([^"/]+)"', shown))):
        yield f"manual/img/{picture}", (CHECKOUT_IMAGES / picture).read_bytes()
