"""The repository a run belongs to, and paths relative to its root.

SARIF, GitHub annotations, baselines and changed-lines mode all need paths that mean the same thing
whichever directory gostatic was started from: code scanning and annotations attach to repository-root
paths, `git diff` prints them, and a baseline must survive being checked from a subdirectory.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def repository_root(start: Path | None = None) -> Path:
    """The nearest enclosing directory holding `.git` (a directory, or a file for worktrees and
    submodules), or `start` itself (default: the current directory) outside a repository."""
    here = (start or Path.cwd()).absolute()
    for d in (here, *here.parents):
        sys.audit("gostatic.probe", d / ".git")  # looked for: a record of the run depends on it (replay.py)
        if (d / ".git").exists():
            return d
    return here


def absolute(display_path: str) -> Path:
    """A finding's path (relative to the current directory, or absolute) as an absolute path."""
    p = Path(display_path)
    return Path(os.path.normpath(p if p.is_absolute() else Path.cwd() / p))


def relative_to_root(display_path: str, root: Path) -> str | None:
    """`display_path` relative to `root` with "/" separators, or None when it lies outside."""
    try:
        return absolute(display_path).relative_to(Path(os.path.normpath(root))).as_posix()
    except ValueError:
        return None
