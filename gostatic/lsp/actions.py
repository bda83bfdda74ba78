"""Code actions for one document: each finding's own fix (preferred when safe), "disable CODE for this
line" (the canonical `//nolint:CODE // reason` trailing comment), and `source.fixAll.gostatic` (every safe
fix that applies cleanly, through the same fixer as `gostatic check --fix`). `context.only` filters by
kind, hierarchically (`source` admits `source.fixAll.gostatic`)."""

from __future__ import annotations

import re

from lsprotocol import types

from gostatic.lint.engine_rules import NotGoSource, SyntaxError_, UnreadableFile
from gostatic.lint.explain import capitalised
from gostatic.lint.finding import Edit, Finding
from gostatic.lint.fixes import fix_source
from gostatic.lint.rule import Rule
from gostatic.lsp.convert import FIX_ALL, finding_range, text_edit, to_diagnostic
from gostatic.parse.syntax import Tree

# engine findings about the file itself: a suppression comment is not how one deals with them
NOT_SUPPRESSIBLE = frozenset({SyntaxError_.meta.code, UnreadableFile.meta.code, NotGoSource.meta.code})
_TRAILING_NOLINT = re.compile(rb"//\s?nolint:([\w\-,. ]*?)(\s*//.*)?\s*$", re.IGNORECASE)
_TRAILING_IGNORE = re.compile(rb"//\s?gostatic:ignore\s+[\w\-]+(?:\s*,\s*[\w\-]+)*")


def kind_allowed(kind: str, only: list[str] | None) -> bool:
    if not only:
        return True
    return any(kind == o or kind.startswith(o + ".") for o in only)


def _line_bounds(data: bytes, offset: int) -> tuple[int, int]:
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    end = len(data) if end < 0 else end
    if end > start and data[end - 1 : end] == b"\r":
        end -= 1
    return start, end


def disable_edit(data: bytes, tree: Tree | None, finding: Finding) -> Edit:
    """The edit that suppresses `finding` on its start line, merged into a suppression comment already
    there; a plain trailing comment becomes the reason. When the line ends inside a multi-line token (a
    raw string, a block comment), the comment goes on the line above as `//gostatic:ignore`."""
    start, end = _line_bounds(data, finding.start_byte)
    code = finding.code
    content_end = start + len(data[start:end].rstrip())
    node = None
    if tree is not None and content_end > start:
        node = tree.root_node.descendant_for_byte_range(content_end - 1, content_end)
    if node is not None and node.type == "comment" and node.start_byte >= start:
        body = data[node.start_byte : node.end_byte]
        m = _TRAILING_NOLINT.match(body)
        if m:
            at = node.start_byte + m.end(1)
            return Edit(at, at, f",{code}" if m.group(1).strip() else code)
        m = _TRAILING_IGNORE.match(body)
        if m:
            at = node.start_byte + m.end()
            return Edit(at, at, f",{code}")
        if body.startswith(b"//"):
            return Edit(node.start_byte, node.start_byte, f"//nolint:{code} ")
    elif (
        node is not None
        and node.start_byte < start
        and node.type
        in (
            "raw_string_literal",
            "interpreted_string_literal",
            "comment",
        )
    ):
        indent = re.match(rb"[ \t]*", data[start:end])
        prefix = indent.group(0).decode() if indent else ""
        return Edit(start, start, f"{prefix}//gostatic:ignore {code} reason\n")
    return Edit(content_end, content_end, f" //nolint:{code} // reason")


def _workspace_edit(
    uri: str, version: int, edits: list[types.TextEdit], versioned: bool
) -> types.WorkspaceEdit:
    if versioned:
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                    edits=edits,
                )
            ]
        )
    return types.WorkspaceEdit(changes={uri: edits})


def _overlaps(data: bytes, f: Finding, rng: types.Range, encoding: str) -> bool:
    found = finding_range(f, data, encoding)
    a = (found.start.line, found.start.character)
    b = (found.end.line, found.end.character)
    lo = (rng.start.line, rng.start.character)
    hi = (rng.end.line, rng.end.character)
    return a <= hi and lo <= b


def code_actions(
    *,
    uri: str,
    version: int,
    data: bytes,
    tree: Tree | None,
    findings: list[Finding],
    rng: types.Range,
    only: list[str] | None,
    encoding: str,
    rules: dict[str, type[Rule]],
    versioned: bool,
) -> list[types.CodeAction]:
    out: list[types.CodeAction] = []
    quick = kind_allowed(types.CodeActionKind.QuickFix, only)
    if quick:
        for f in findings:
            if not _overlaps(data, f, rng, encoding):
                continue
            diag = to_diagnostic(f, data, encoding, rules.get(f.code))
            if f.fix is not None:
                edits = [text_edit(e, data, encoding) for e in f.fix.edits]
                title = capitalised(f.fix.description)
                out.append(
                    types.CodeAction(
                        title=f"{title} ({f.code})" + ("" if f.fix.safe else " [unsafe]"),
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diag],
                        is_preferred=f.fix.safe or None,
                        edit=_workspace_edit(uri, version, edits, versioned),
                    )
                )
            if f.code in NOT_SUPPRESSIBLE:
                continue
            edit = text_edit(disable_edit(data, tree, f), data, encoding)
            out.append(
                types.CodeAction(
                    title=f"Disable {f.code} for this line",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    edit=_workspace_edit(uri, version, [edit], versioned),
                )
            )
    if kind_allowed(FIX_ALL, only):
        action = fix_all(
            uri=uri, version=version, data=data, findings=findings, encoding=encoding, versioned=versioned
        )
        if action is not None:
            out.append(action)
    return out


def fix_all(
    *, uri: str, version: int, data: bytes, findings: list[Finding], encoding: str, versioned: bool
) -> types.CodeAction | None:
    """Every safe fix that applies without overlapping another and keeps the file parseable."""
    outcome = fix_source(data, [f for f in findings if f.fix is not None and f.fix.safe], unsafe=False)
    if not outcome.applied:
        return None
    edits = sorted((e for f in outcome.applied for e in f.fix.edits), key=lambda e: (e.start, e.end))  # type: ignore[union-attr]
    n = len(outcome.applied)
    return types.CodeAction(
        title=f"Fix all safely fixable gostatic findings ({n})",
        kind=FIX_ALL,
        edit=_workspace_edit(uri, version, [text_edit(e, data, encoding) for e in edits], versioned),
    )
