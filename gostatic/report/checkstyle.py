"""`--format checkstyle`: Checkstyle XML, the lowest common denominator of CI dashboards (Jenkins
warnings-ng, GitLab via converters, reviewdog's `-f=checkstyle`).

    <checkstyle version="4.3"><file name="p.go"><error line= column= severity= message= source=/></file>

One `<file>` per path in sorted order; columns are 1-based bytes like every Go tool. The document is built
with ElementTree, so escaping is the XML library's job; characters XML 1.0 cannot carry at all (control
characters from a quoted snippet) are dropped from attribute values.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from itertools import groupby

from gostatic.lint.finding import Finding

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def render(findings: Sequence[Finding]) -> str:
    root = ET.Element("checkstyle", version="4.3")
    for path, group in groupby(sorted(findings, key=lambda f: f.sort_key), key=lambda f: f.path):
        file_el = ET.SubElement(root, "file", name=_clean(path))
        for f in group:
            ET.SubElement(
                file_el,
                "error",
                line=str(f.start.line),
                column=str(f.start.column),
                severity=f.severity.value,
                message=_clean(f"{f.message} [{f.name}]"),
                source=f"gostatic.{f.code}",
            )
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
