"""What a review sees: the baseline and changed-lines filters, applied after analysis in one place.

Both run on the finished list of findings, so package-level rules have seen whole packages. The baseline
goes first (its stale count must consider every finding, not only those on changed lines), then the
changed-lines filter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from gostatic.lint.finding import Finding
from gostatic.run.repo import repository_root

if TYPE_CHECKING:
    from gostatic.review import baseline as baselinemod
    from gostatic.review.changes import ChangedLines

# The baseline and changed-lines modules (json, hashing, fingerprints, git) are imported by the runs that
# use them: a plain check does not pay for them at start-up.


@attrs.define(repr=False)
class ReviewFilter:
    changed: ChangedLines | None = None
    baseline_entries: list[dict] | None = None
    baseline_path: str = ""
    root: Path = attrs.Factory(repository_root)
    analysed: tuple[str, ...] = ()
    outcome: baselinemod.Outcome | None = None

    @classmethod
    def from_options(
        cls,
        new_from_rev: str | None,
        new_from_patch: str | None,
        baseline: str | None,
        analysed: Iterable[str],
    ) -> ReviewFilter:
        out = cls(analysed=tuple(analysed))
        if new_from_rev or new_from_patch:
            from gostatic.review.changes import from_patch, from_rev
        if new_from_rev:
            out.changed = from_rev(new_from_rev)
        if new_from_patch:
            patch = from_patch(Path(new_from_patch))
            if out.changed is None:
                out.changed = patch
            else:  # both given: a line counts when either says it is new
                for path, lines in patch.files.items():
                    out.changed.add(path, lines)
                out.changed.warnings.extend(patch.warnings)
        if baseline:
            from gostatic.review import baseline as baselinemod

            out.baseline_entries = baselinemod.load(Path(baseline))
            out.baseline_path = baseline
        return out

    @property
    def active(self) -> bool:
        return self.changed is not None or self.baseline_entries is not None

    def apply(
        self, findings: Sequence[Finding], read: Callable[[list[Finding]], Mapping[str, bytes]]
    ) -> list[Finding]:
        kept = list(findings)
        if self.baseline_entries is not None:
            from gostatic.review import baseline as baselinemod

            self.outcome = baselinemod.apply(
                self.baseline_entries, kept, read(kept), self.root, self.analysed
            )
            kept = self.outcome.kept
        if self.changed is not None:
            kept = self.changed.filter(kept)
        return kept

    def warnings(self) -> list[str]:
        """Problems with the review's inputs (a patch without hunks), printed before the analysis."""
        return list(self.changed.warnings) if self.changed is not None else []

    def note(self) -> str | None:
        """The line the summary gets about the baseline (hidden and stale counts), if any."""
        if self.outcome is None:
            return None
        from gostatic.review import baseline as baselinemod

        return baselinemod.summary(self.outcome, self.baseline_path)
