"""Reading `// want:` annotations out of testdata and comparing them with findings."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

_WANT = re.compile(rb"//\s*want:\s*([A-Z]{2,6}\d{3}(?:[\s,]+[A-Z]{2,6}\d{3})*)\s*$")
_WANT_PREV = re.compile(rb"^\s*//\s*want-prev:\s*([A-Z]{2,6}\d{3}(?:[\s,]+[A-Z]{2,6}\d{3})*)\s*$")


def expected(path: Path) -> Counter[tuple[int, str]]:
    """(line, code) -> count expected in one file."""
    out: Counter[tuple[int, str]] = Counter()
    for i, line in enumerate(path.read_bytes().split(b"\n"), start=1):
        m = _WANT_PREV.match(line)
        if m:
            for code in re.split(rb"[\s,]+", m.group(1).strip()):
                out[(i - 1, code.decode())] += 1
            continue
        m = _WANT.search(line)
        if m:
            for code in re.split(rb"[\s,]+", m.group(1).strip()):
                out[(i, code.decode())] += 1
    return out


def compare(expected_: Counter, actual: Counter, messages: dict) -> list[str]:
    """Readable differences: false negatives and false positives with their messages."""
    problems = []
    for key in sorted(set(expected_) | set(actual)):
        e, a = expected_.get(key, 0), actual.get(key, 0)
        path, line, code = key
        if a < e:
            problems.append(f"false negative: {path}:{line}: expected {code} ({e - a} missing)")
        elif a > e:
            problems.append(f"false positive: {path}:{line}: {code} {messages.get(key, '')}")
    return problems
