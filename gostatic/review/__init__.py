"""Stage 5, review: what a code review sees of a run's findings.

Changed-lines mode (a git revision or a unified diff), baselines of accepted findings, and the stable
fingerprints both rely on; `filters` applies them after analysis, in one place.

May import `parse`, `lint` and `run` (paths relative to the repository).
"""
