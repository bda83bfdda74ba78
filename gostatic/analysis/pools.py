"""Where a sync.Pool's New function is: code that runs only when the pool is empty, and whose job is to
allocate the object the pool hands out. A heap allocation there (`b := make([]byte, n); return &b`, the
idiom POOL001 recommends) is the intent, not a finding for the escape rules."""

from __future__ import annotations

from gostatic.analysis.scopes import Resolver
from gostatic.parse.syntax import Node, unparen


def _is_pool_type(resolver: Resolver, expr: Node | None) -> bool:
    t = resolver.type_of(expr)
    return t is not None and t.deref().is_named("sync.Pool")


def is_pool_new(fn: Node | None, resolver: Resolver) -> bool:
    """`fn` is a func literal given as a sync.Pool's New: `sync.Pool{New: fn}` (also `&sync.Pool{...}`)
    or `p.New = fn` with `p` a sync.Pool or *sync.Pool."""
    if fn is None or fn.type != "func_literal":
        return False
    holder = fn.parent
    while holder is not None and holder.type == "parenthesized_expression":
        holder = holder.parent
    if holder is not None and holder.type == "literal_element":
        keyed = holder.parent
        if keyed is None or keyed.type != "keyed_element" or keyed.named_children[-1] != holder:
            return False
        key = keyed.named_children[0]
        body = keyed.parent
        lit = body.parent if body is not None else None
        return (
            key.text == b"New"
            and lit is not None
            and lit.type == "composite_literal"
            and _is_pool_type(resolver, lit)
        )
    if holder is not None and holder.type == "expression_list":
        stmt = holder.parent
        if stmt is None or stmt.type != "assignment_statement" or stmt.child_by_field_name("right") != holder:
            return False
        lefts = stmt.child_by_field_name("left")
        targets = [c for c in lefts.named_children] if lefts is not None else []
        values = [c for c in holder.named_children]
        if len(targets) != len(values):
            return False
        target = unparen(targets[values.index(fn)]) if fn in values else None
        if target is None or target.type != "selector_expression":
            return False
        field = target.child_by_field_name("field")
        return (
            field is not None
            and field.text == b"New"
            and _is_pool_type(resolver, target.child_by_field_name("operand"))
        )
    return False
