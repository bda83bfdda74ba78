"""Edits that add an import to a Go file, shaped the way gofmt leaves them, for fixes that call a
package the file does not import yet (`strconv.Itoa`, `strings.Clone`)."""

from __future__ import annotations

from gostatic.lint.finding import Edit
from gostatic.parse.syntax import Node, text


def _path_of(spec: Node) -> str:
    p = spec.child_by_field_name("path")
    return "" if p is None else text(p).decode("utf-8", "replace").strip('"`')


def add_import(root: Node, path: str) -> Edit | None:
    """Insert `"path"` into the first import declaration (alphabetically among the first group of a
    parenthesised list), or add a declaration after the package clause when there is none."""
    decl = next((c for c in root.named_children if c.type == "import_declaration"), None)
    quoted = f'"{path}"'
    if decl is None:
        clause = next((c for c in root.named_children if c.type == "package_clause"), None)
        if clause is None:
            return None
        return Edit(clause.end_byte, clause.end_byte, f"\n\nimport {quoted}")
    lst = next((c for c in decl.named_children if c.type == "import_spec_list"), None)
    if lst is None:
        spec = next((c for c in decl.named_children if c.type == "import_spec"), None)
        if spec is None:
            return None
        return Edit(
            spec.start_byte,
            spec.end_byte,
            "(\n\t" + "\n\t".join(sorted([text(spec).decode(), quoted])) + "\n)",
        )
    specs = [c for c in lst.named_children if c.type == "import_spec"]
    if not specs:
        return None
    # stay within the first group (specs on consecutive lines): standard-library imports come first
    group = [specs[0]]
    for s in specs[1:]:
        if s.start_point[0] != group[-1].end_point[0] + 1:
            break
        group.append(s)
    for s in group:
        if _path_of(s) > path:
            return Edit(s.start_byte, s.start_byte, f"{quoted}\n\t")
    last = group[-1]
    return Edit(last.end_byte, last.end_byte, f"\n\t{quoted}")
