"""A rule's metadata as one frozen value: the single source of `gostatic rules`, `explain`, SARIF rule
descriptions, LSP hovers and every finding's code, name and severity.

Kept apart from the `Rule` base class so that the context a rule reports through can name it without
importing the rule API built on top of that context."""

from __future__ import annotations

import functools
import re

import attrs

from gostatic.lint.finding import Severity

_CODE = re.compile(r"^[A-Z]{2,6}\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_VERSION_RANGE = re.compile(r"^(<|<=|>=|>)\s*1\.\d+$")

KINDS = ("cost", "defect")


@attrs.frozen
class RuleMeta:
    code: str
    name: str
    severity: Severity
    summary: str
    default_on: bool = True
    needs_imports: tuple[str, ...] = ()
    hot_only: bool = False
    go: str | None = None  # a version range such as "<1.23"; None: every version
    fix: str | None = None  # "safe", "unsafe", or None when the rule offers no fix
    bad: str = ""
    good: str = ""
    # "cost": an allocation, a copy or growth, worth fixing only where the code runs often (not reported in
    # tests but benchmarks, nor in cold code, by default); "defect": a leak or a misuse that is wrong
    # wherever it runs, reported everywhere. A plugin that says nothing is taken as a defect, as before.
    kind: str = "defect"
    # A cost of a few bytes per execution (a boxed value, a small copy, a growth step): not worth a change
    # in an iteration that also starts a process, opens a file or makes a network call (`analysis/cold.py`).
    cheap_per_use: bool = False
    # The claim is memory kept for the life of the process (a registry, a cache, a pinned backing array):
    # not a leak in a command that runs to completion and exits (`analysis/lifetime.py`).
    process_lifetime: bool = False
    # The claim is a heap allocation (a boxed value, a new buffer, a growth step, a timer): an allocation
    # profile that never sampled the block around it says it allocated little there (`analysis/sampled.py`).
    allocates: bool = False

    @property
    def family(self) -> str:
        return re.sub(r"\d+$", "", self.code)

    def problems(self) -> list[str]:
        out = []
        if not _CODE.match(self.code):
            out.append(f"code {self.code!r} is not letters + three digits")
        if not _NAME.match(self.name):
            out.append(f"name {self.name!r} is not kebab-case")
        if self.go is not None and not _VERSION_RANGE.match(self.go):
            out.append(f"go range {self.go!r} is not like '<1.23' or '>=1.24'")
        if self.fix not in (None, "safe", "unsafe"):
            out.append(f"fix {self.fix!r} must be 'safe', 'unsafe' or None")
        if self.kind not in KINDS:
            out.append(f"kind {self.kind!r} must be one of {', '.join(KINDS)}")
        if not self.summary:
            out.append("summary is empty")
        return out

    def applies_to(self, version: tuple[int, int]) -> bool:
        return self.go is None or _in_range(self.go, version)


@functools.cache
def _in_range(go: str, version: tuple[int, int]) -> bool:
    """`version` is in the range `go` ("<1.23"); asked per rule and file, answered once per pair."""
    m = re.match(r"^(<=|>=|<|>)\s*(\d+)\.(\d+)$", go)
    assert m is not None
    bound = (int(m.group(2)), int(m.group(3)))
    return {
        "<": version < bound,
        "<=": version <= bound,
        ">": version > bound,
        ">=": version >= bound,
    }[m.group(1)]
