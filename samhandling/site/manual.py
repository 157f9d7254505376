"""The manual as pages of the site (filled in below)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .render import SiteContent


def manual_pages() -> dict[str, tuple[str, str]]:
    return {}


def manual_files(content: SiteContent) -> Iterator[tuple[str, bytes]]:
    return iter(())
