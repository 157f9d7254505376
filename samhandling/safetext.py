"""Model text on its way into what people, CI and XML parsers read: never as markup or commands.

Labels come from whoever edits the model. Written raw they could

* break an XML file: XML 1.0 has no way to write most control characters, not even as
  ``&#1;``, so one ``\\x01`` in a label makes GraphML, SVG or a JUnit report ill-formed
  (:func:`xml_safe` replaces them with U+FFFD, the replacement character);
* forge a line of output: a newline in a label starts a new line of a report, and a line
  starting with ``::`` (``::error ...``, ``::add-mask::``) is a GitHub Actions workflow
  command; ``##[`` is the runner's old command syntax (:func:`one_line`,
  :func:`ci_safe_line`);
* drive a terminal (escape sequences) (:func:`one_line`).
"""

from __future__ import annotations

import re

#: Characters XML 1.0 cannot hold (in any escaped form either).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: Control characters and line separators shown escaped in one-line output.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 cannot represent replaced by U+FFFD."""
    return _XML_INVALID.sub("\ufffd", text)


def one_line(text: str) -> str:
    """``text`` on one line: control characters and line breaks shown as escapes
    (``\\n``, ``\\x1b``), so a label can neither start a new line nor steer a terminal."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


def ci_safe_line(line: str) -> str:
    """A line of plain output that a CI runner will not take as a workflow command.

    GitHub Actions reads a line as a command when it starts (after spaces) with ``::``, and
    its older syntax ``##[`` anywhere in the line; both are defused with a backslash."""
    line = line.replace("##[", "##\\[")
    stripped = line.lstrip()
    if stripped.startswith("::"):
        line = line[:len(line) - len(stripped)] + "\\" + stripped
    return line


__all__ = ["ci_safe_line", "one_line", "xml_safe"]
