"""Readers for the model's source formats, one module per format on :mod:`.base`.

Installed as ``samhandling.loaders`` (the top-level ``loaders/`` folder is mapped into the
engine package, so no bare ``loaders`` import name lands in site-packages).
"""

from __future__ import annotations

from .base import LOADERS, Cell, Record, SourceReader, SourceResult, reader_for

__all__ = ["LOADERS", "Cell", "Record", "SourceReader", "SourceResult", "reader_for"]
