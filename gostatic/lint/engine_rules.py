"""Findings the engine itself produces (bad input, suppressions). They are rules in the registry so that
they can be selected, ignored, explained and shown in every output like any other."""

from __future__ import annotations

from gostatic.lint.finding import Severity
from gostatic.lint.rule import Rule, RuleMeta


class SyntaxError_(Rule):
    """
    ## What it finds
    A Go file that tree-sitter-go cannot parse completely. Reported once per file, at the first error region.
    ## Why it matters
    The parts of the file that parse are still analysed, but findings inside the broken region may be
    missing. The grammar can lag behind the language, so this is only `info` and never blocks a commit by
    default. Go 1.26's `new(expr)` and Go 1.27's generic methods (`func (r *Rand) N[T any](…)`) are read
    by repairs of the parse (`parse/newexpr.py`, `parse/generics.py`); should a generic method still defeat
    the repair, the message names the method instead of calling valid code a syntax error.
    """

    meta = RuleMeta(
        code="SYN001",
        name="syntax-error",
        severity=Severity.INFO,
        summary="file does not parse completely; intact parts are still analysed",
        bad="package p\nfunc f() {\n",
        good="package p\nfunc f() {}\n",
    )


class UnreadableFile(Rule):
    """
    ## What it finds
    A `.go` file that could not be read (permissions, I/O error). Reported at the top of the file.
    ## Why it matters
    Nothing in the file was analysed; a clean run would be a false all-clear.
    """

    meta = RuleMeta(
        code="SYN002",
        name="unreadable-file",
        severity=Severity.ERROR,
        summary="file could not be read",
        bad="(a file without read permission)",
        good="(a readable file)",
    )


class NotGoSource(Rule):
    """
    ## What it finds
    A file named `.go` that is not Go source text: it contains NUL bytes (a binary file) or is larger than
    the size gostatic analyses, or a file whose analysis went over the per-file budget (time, memory; see
    the README's "What gostatic promises") or crashed its worker twice. Reported at the top of the file.
    ## Why it matters
    The file was skipped; the message says why so that a generated or binary file can be excluded. The
    rest of its package was still analysed.
    """

    meta = RuleMeta(
        code="SYN003",
        name="not-go-source",
        severity=Severity.INFO,
        summary="file named .go is binary or too large and was skipped",
        bad="(a binary file named x.go)",
        good="(Go source text)",
    )


class UnusedSuppression(Rule):
    """
    ## What it finds
    A `//nolint:CODE`, `//gostatic:ignore CODE` or `//gostatic:file-ignore CODE` comment naming an enabled
    gostatic rule that suppressed nothing. Reported at the comment.
    ## Why it matters
    A stale suppression hides the next real finding on that line. Remove it, or narrow it to the codes that
    still fire. Codes of other linters in a `//nolint:` list are left alone.
    """

    meta = RuleMeta(
        code="SUP001",
        name="unused-suppression",
        severity=Severity.INFO,
        summary="suppression comment that suppresses nothing",
        fix="safe",
        bad="package p\n\nvar x = 1 //nolint:TIM005 // nothing to suppress here\n",
        good="package p\n\nvar x = 1\n",
    )


class SuppressionWithoutReason(Rule):
    """
    ## What it finds
    A `//gostatic:ignore CODE` or `//gostatic:file-ignore CODE` comment with no reason after the codes.
    Reported at the comment; the suppression is not applied.
    ## Why it matters
    A reason tells the next reader why the finding does not apply. `//nolint` keeps golangci-lint's
    rules, where the reason is optional.
    """

    meta = RuleMeta(
        code="SUP002",
        name="suppression-without-reason",
        severity=Severity.WARNING,
        summary="gostatic:ignore comment without a reason",
        bad="package p\n\n//gostatic:ignore TIM005\nvar x = 1\n",
        good="package p\n\n//gostatic:ignore TIM005 the loop runs three times\nvar x = 1\n",
    )


ENGINE_RULES: tuple[type[Rule], ...] = (
    SyntaxError_,
    UnreadableFile,
    NotGoSource,
    UnusedSuppression,
    SuppressionWithoutReason,
)
