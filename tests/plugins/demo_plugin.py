"""A third-party rule module, loaded through the `plugins` config key or an entry point in the tests."""

from __future__ import annotations

from gostatic.rule import Edit, FileContext, Fix, Node, Rule, RuleMeta, Severity


class LoweredCompare(Rule):
    """
    ## What it finds
    `strings.ToLower(a) == strings.ToLower(b)`. Reported at the comparison.
    ## Why it matters
    Both sides allocate a lowered copy only to compare them; `strings.EqualFold` allocates nothing.
    """

    meta = RuleMeta(
        code="DEMO001",
        name="lowered-compare",
        severity=Severity.INFO,
        summary="comparison of two lowered copies",
        needs_imports=("strings",),
        fix="unsafe",
        bad='package p\n\nimport "strings"\n\nfunc f(a, b string) bool { return strings.ToLower(a) == strings.ToLower(b) }\n',
        good='package p\n\nimport "strings"\n\nfunc f(a, b string) bool { return strings.EqualFold(a, b) }\n',
    )

    def visit_binary_expression(self, node: Node, ctx: FileContext) -> None:
        op = node.child_by_field_name("operator")
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op is None or op.type != "==":
            return
        if ctx.call_target(left) != "strings.ToLower" or ctx.call_target(right) != "strings.ToLower":
            return
        a, b = ctx.single_arg(left), ctx.single_arg(right)
        if a is None or b is None:
            return
        new = f"{ctx.qualifier('strings')}EqualFold({ctx.text(a)}, {ctx.text(b)})"
        ctx.report(
            node,
            f"comparing two lowered copies allocates both; use {new}",
            fix=Fix("use EqualFold", [Edit.replace(node, new)], safe=False),
        )
