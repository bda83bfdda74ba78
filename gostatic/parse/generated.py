"""Machine-written files, by Go's convention (a `// Code generated ... DO NOT EDIT.` line before the
package clause): skipped by default by the run, as golangci-lint does, and by every question that reads a
tree of files for what people wrote (`analysis/lifetime.py`)."""

from __future__ import annotations

import re

_GENERATED = re.compile(rb"^// Code generated .* DO NOT EDIT\.\r?$", re.MULTILINE)
_PACKAGE = re.compile(rb"^package\s", re.MULTILINE)


def is_generated(source: bytes) -> bool:
    m = _PACKAGE.search(source)
    end = m.start() if m else min(len(source), 4096)
    # the words first (a memchr-speed search): the line pattern, anchored by `^`, is tried at every byte
    return source.find(b"// Code generated ", 0, end) >= 0 and _GENERATED.search(source, 0, end) is not None
