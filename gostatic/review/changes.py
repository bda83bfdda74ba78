"""Changed-lines mode: keep only findings that start on a line a change adds.

`--new-from-rev REV` takes the added lines of `git diff REV` (the working tree against REV, staged or not)
plus every untracked, non-ignored file as wholly new; `--new-from-patch FILE` takes the lines a unified
diff adds. The filter runs after analysis, so package-level rules still see whole packages: a finding
caused by an old line stays hidden, one that starts on an added line is shown.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

import attrs

from gostatic.lint.finding import Finding
from gostatic.run.repo import absolute

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {"a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class ChangesError(Exception):
    """git failed, or the patch cannot be read: a usage error (exit 2)."""


@attrs.define
class ChangedLines:
    """Added lines per absolute path; None for a file that is new as a whole."""

    files: dict[Path, set[int] | None] = attrs.Factory(dict)
    # what the user should hear about the input (a patch with no hunks filters everything out)
    warnings: list[str] = attrs.Factory(list)

    def add(self, path: Path, lines: Iterable[int] | None) -> None:
        path = _real(path)
        if lines is None:
            self.files[path] = None
            return
        current = self.files.setdefault(path, set())
        if current is not None:
            current.update(lines)

    def contains(self, f: Finding) -> bool:
        key = _real(absolute(f.path))
        if key not in self.files:
            return False
        lines = self.files[key]
        return lines is None or f.start.line in lines

    def filter(self, findings: Iterable[Finding]) -> list[Finding]:
        return [f for f in findings if self.contains(f)]


def _unquote(name: str) -> str:
    """A path as git prints it: C-quoted ("a\\tb", octal escapes for non-ASCII bytes) when unusual."""
    name = name.rstrip("\n")
    if not (len(name) >= 2 and name.startswith('"') and name.endswith('"')):
        return name.split("\t")[0]  # GNU diff appends "\t<timestamp>"
    body, out, i = name[1:-1], bytearray(), 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            n = body[i + 1]
            digits = body[i + 1 : i + 4]
            if len(digits) == 3 and all(d in "01234567" for d in digits):
                out += bytes([int(digits, 8) & 0xFF])
                i += 4
                continue
            out += _ESCAPES.get(n, n).encode("utf-8")
            i += 2
            continue
        out += c.encode("utf-8")
        i += 1
    return out.decode("utf-8", "surrogateescape")


def parse_unified_diff(text: str) -> dict[str, set[int]]:
    """Added line numbers (in the new file) per new-file path, as written in the diff (prefix kept)."""
    out: dict[str, set[int]] = {}
    current: set[int] | None = None
    new_line = 0
    remaining_new = remaining_old = 0
    old_name = ""
    for raw in text.splitlines():
        if remaining_new > 0 or remaining_old > 0:
            tag = raw[:1]
            if tag == "+":
                if current is not None:
                    current.add(new_line)
                new_line += 1
                remaining_new -= 1
                continue
            if tag == "-":
                remaining_old -= 1
                continue
            if tag == " " or raw == "":
                new_line += 1
                remaining_new -= 1
                remaining_old -= 1
                continue
            if tag == "\\":  # "\ No newline at end of file"
                continue
            remaining_new = remaining_old = 0  # malformed hunk: resynchronise on headers
        if raw.startswith("--- "):
            old_name = _unquote(raw[4:])
            continue
        if raw.startswith("+++ "):
            name = _unquote(raw[4:])
            current = None if name == "/dev/null" else out.setdefault(_strip_prefix(old_name, name), set())
            continue
        m = _HUNK.match(raw)
        if m:
            new_line = int(m.group(1))
            remaining_new = int(m.group(2)) if m.group(2) is not None else 1
            old = re.match(r"^@@ -\d+(?:,(\d+))?", raw)
            remaining_old = int(old.group(1)) if old and old.group(1) is not None else 1
    return out


def _strip_prefix(old_name: str, new_name: str) -> str:
    """Drop git's `b/` prefix when the diff uses the a/ b/ convention (`git diff`, `git format-patch`)."""
    if new_name.startswith("b/") and (old_name.startswith("a/") or old_name == "/dev/null"):
        return new_name[2:]
    return new_name


def _git(args: list[str], cwd: Path) -> str:
    try:
        import subprocess  # only when git is asked: a plain run does not pay for importing it

        proc = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            check=False,
        )
    except OSError as exc:
        raise ChangesError(f"cannot run git: {exc}") from exc
    if proc.returncode != 0:
        detail = proc.stderr.strip().splitlines()
        raise ChangesError(
            f"git {' '.join(args[:2])} failed: {detail[-1] if detail else 'exit ' + str(proc.returncode)}"
        )
    return proc.stdout


def git_toplevel(cwd: Path | None = None) -> Path:
    out = _git(["rev-parse", "--show-toplevel"], cwd or Path.cwd()).strip()
    return Path(out)


def from_rev(rev: str, cwd: Path | None = None) -> ChangedLines:
    """Lines added since `rev` in the working tree, plus untracked files."""
    here = cwd or Path.cwd()
    top = git_toplevel(here)
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top)
    except ChangesError:
        raise ChangesError(f"--new-from-rev: {rev!r} names no commit of the repository at {top}") from None
    diff = _git(["diff", "--no-color", "--no-ext-diff", "--find-renames", "--unified=0", rev, "--"], top)
    changed = ChangedLines()
    for name, lines in parse_unified_diff(diff).items():
        changed.add(absolute_in(top, name), lines)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], top)
    for name in filter(None, untracked.split("\0")):
        changed.add(absolute_in(top, name), None)
    return changed


def from_patch(patch: Path, cwd: Path | None = None) -> ChangedLines:
    """Lines a unified diff adds. Paths in it are taken relative to the repository root (as git writes
    them), or to the current directory when that is where the file exists."""
    here = (cwd or Path.cwd()).absolute()
    try:
        text = patch.read_bytes().decode("utf-8", "surrogateescape")
    except OSError as exc:
        raise ChangesError(f"--new-from-patch: cannot read {patch}: {exc.strerror or exc}") from exc
    from gostatic.run.repo import repository_root

    top = repository_root(here)
    changed = ChangedLines()
    hunks = parse_unified_diff(text)
    if not hunks:
        changed.warnings.append(
            f"--new-from-patch {patch}: no hunks found (is it a unified diff?); every finding is filtered out"
        )
    for name, lines in hunks.items():
        candidates = [absolute_in(top, name), absolute_in(here, name)]
        target = next((c for c in candidates if c.exists()), candidates[0])
        changed.add(target, lines)
    return changed


def absolute_in(base: Path, name: str) -> Path:
    return absolute(str(base / name))


def _real(path: Path) -> Path:
    """Symlinks resolved, so that git's toplevel and the current directory spell paths alike."""
    return Path(os.path.realpath(path))
