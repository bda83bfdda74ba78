"""BOX: interface boxing and reflection."""

from __future__ import annotations

import re

from gostatic.analysis import cost, gomod
from gostatic.analysis.index import spelled
from gostatic.analysis.stdlib import VARIADIC_ANY
from gostatic.analysis.types import GoType, default_type
from gostatic.parse.syntax import called_selector, paren_root, unparen, walk
from gostatic.rule import Edit, FileContext, Fix, Node, Rule, RuleMeta, Severity, callee_names

_STD_MODULES = frozenset({"std", "cmd"})


def _has_spread(call: Node) -> bool:
    args = call.child_by_field_name("arguments")
    return args is not None and any(c.type == "variadic_argument" for c in args.named_children)


def _is_interface(t: GoType | None, ctx: FileContext) -> bool:
    u = ctx.underlying(t)
    return u is not None and u.is_interface


def _constant_literal(v: Node, ctx: FileContext) -> bool:
    """A composite literal whose elements are all constants: the compiler converts it from read-only data."""
    if v.type != "composite_literal":
        return False
    body = v.child_by_field_name("body")
    if body is None:
        return False
    for lit in walk(body):
        if lit.type != "literal_value":
            continue
        for el in lit.named_children:
            if el.type == "keyed_element":
                if len(el.named_children) != 2:
                    return False
                el = el.named_children[1]
            if el.type == "literal_element" and el.named_children:
                el = el.named_children[0]
            if el.type == "comment" or el.type == "literal_value":
                continue
            if not ctx.is_constant(el):
                return False
    return True


# composite literal types that are never maps
_NOT_MAP_TYPES = frozenset({"struct_type", "array_type", "slice_type", "implicit_length_array_type"})


# methods among the ...any targets (`log.Logger.Printf`, `log/slog.Logger.Info`), by name, with the
# packages whose types they belong to
_LOGGER_METHODS = frozenset(t.rpartition(".")[2] for t in VARIADIC_ANY if t.count(".") == 2)
_LOGGER_PACKAGES = frozenset(
    t.rpartition(".")[0].rpartition(".")[0] for t in VARIADIC_ANY if t.count(".") == 2
)


def _may_take_any(call: Node, ctx: FileContext) -> bool:
    """A spelling test before resolving a call named like a ...any target: `x.Errorf(...)` is
    `fmt.Errorf` only when `x` names the imported fmt, and a logger method only in a package that
    imports log or log/slog (nothing else gives a value those types: t.Error and t.Log in tests are
    not slog's). `append` and other unqualified calls are left to call_target."""
    fn = unparen(call.child_by_field_name("function"))
    if fn is None or fn.type != "selector_expression":
        return True
    parts = called_selector(call)
    if parts is None:
        return False
    operand, field = parts
    name = ctx.text(field)
    if operand.type == "identifier":
        path = ctx.file.imports.by_name.get(ctx.text(operand))
        if path is not None and f"{path}.{name}" in VARIADIC_ANY:
            return True
    return name in _LOGGER_METHODS and _imports_any(ctx, _LOGGER_PACKAGES)


def _imports_any(ctx: FileContext, paths: frozenset[str]) -> bool:
    files = ctx.index.files
    return ctx.index.fact(
        "box.imports:" + ",".join(sorted(paths)),
        lambda: any(not paths.isdisjoint(f.imports.paths) for f in files),
    )


# What replaces a boxed argument: numbers are formatted by strconv, strings are written as they are, and
# slog takes typed attributes that hold a number or a string without an interface.
_FORMAT_ADVICE = "format it with strconv.Append* into a reused buffer"
# A string is written or appended as it is: a printer writes it (io.WriteString), a formatter that makes a
# value (Sprintf, Errorf, Appendf) appends it to the bytes it builds. The log package has no call without
# ...any: its lines go to slog's typed attributes.
_WRITE_STRING_ADVICE = "write it as it is with io.WriteString instead of formatting it"
_APPEND_STRING_ADVICE = "append it as it is to a reused []byte (append(buf, s...)) instead of formatting it"
_SLOG_ADVICE = "log with slog's LogAttrs and typed attributes (slog.Int, slog.String), which take no ...any"


class BoxingInLoop(Rule):
    """
    ## What it finds
    In hot context (a loop body on every iteration, an HTTP handler, a looping goroutine), a non-constant
    value of a known non-pointer type — numbers wider than one byte, strings, slices, structs, arrays —
    converted to an interface: passed to the `...any` parameter of `fmt`/`log` print functions,
    `fmt.Errorf` or `slog` logging calls, appended to a `[]any`, or stored as a value of a `map[K]any`
    (assignment or map literal). Reported at the converted value.
    ## Why it matters
    An interface holds a pointer; a value that is not pointer-shaped is copied to a new heap object on
    every conversion (`go build -gcflags=-m` says `x escapes to heap`). Per iteration that is one
    allocation per value and GC pressure proportional to the loop rate.

    Not reported: constants (read-only data), pointers, maps, chans, funcs and interfaces (stored
    directly), zero-sized and one-byte values (`bool`, `byte`, `int8`: the runtime points into a static
    table), values whose type the source does not state, and calls on a path that leaves the loop
    (`return fmt.Errorf(...)`, `panic(...)`), which run once. Integers provably in `[0, 256)` — a
    counter of a loop with constant bounds that the body does not assign (`for i := 0; i < 200; i++`,
    `i < len(a)` of an array, `for i := range 100`, the index of a range over an array or a pointer to
    one of at most 256 elements), a sum or difference of such values and constants (`i+1`, `i-1`) that
    stays in range, `x & 0xff`, a byte widened to `int`, a value of an enumeration whose constants are
    all below 256 (`type Kind int; const ( KindAny Kind = iota; … )`) — are served from the runtime's
    static table (`staticuint64s` in `runtime/iface.go`); so are the integers the conditions around
    the use bound (`if c <= 5 {` over a `len`, `k >= 0 && k < 100`, `case r < 0x80:` over a rune of a
    string), the empty string and a nil slice.
    The message gives the bytes copied per conversion.
    ## Fix
    Numbers: `strconv.Append*` into a reused buffer. Strings: a printer (`Fprint*`, `Print*`) writes
    them as they are (`io.WriteString`); a formatter that makes a value (`Sprintf` of strings only: join
    them with `+`; `Sprintf`, `Errorf`, `Appendf` otherwise) appends them to its bytes
    (`append(buf, s...)`). `log` and `slog`: `slog`'s `LogAttrs` with typed attributes (`slog.Int`,
    `slog.String`), which take no `...any` (three items of two attributes: 6 allocations per call to 0).
    A `[]any` or `map[K]any`: a slice or map of the concrete type, where the values have one type.
    """

    meta = RuleMeta(
        code="BOX001",
        kind="cost",
        allocates=True,
        cheap_per_use=True,
        name="boxing-in-loop",
        severity=Severity.WARNING,
        summary="value converted to an interface (heap copy) on every iteration",
        hot_only=True,
        bad='package p\n\nimport "fmt"\n\nfunc dump(xs []int) {\n\tfor _, x := range xs {\n'
        '\t\tfmt.Println("value", x)\n\t}\n}\n',
        good='package p\n\nimport (\n\t"os"\n\t"strconv"\n)\n\nfunc dump(xs []int) {\n\tbuf := []byte{}\n'
        '\tfor _, x := range xs {\n\t\tbuf = append(buf[:0], "value "...)\n\t\tbuf = strconv.AppendInt(buf, int64(x), 10)\n'
        "\t\tbuf = append(buf, '\\n')\n\t\tos.Stdout.Write(buf)\n\t}\n}\n",
    )

    calls = callee_names(*VARIADIC_ANY, "append")

    checks_hot_itself = True  # each visit rules out the common shapes before asking

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        if not _may_take_any(node, ctx) or not ctx.is_hot(node):
            return
        target = ctx.call_target(node)
        if target is None or _has_spread(node):
            return
        args = ctx.args(node)
        if target in VARIADIC_ANY:
            name = target.replace("log/slog.", "slog.")
            concat = target == "fmt.Sprintf" and _only_string_verbs(args, ctx)
            if target.startswith(("log/slog.", "log.")):
                advice = strings = _SLOG_ADVICE
            else:  # fmt: a printer writes a string as it is, a formatter that makes a value appends it
                writes = target.split(".")[-1].startswith(("Print", "Fprint"))
                advice, strings = _FORMAT_ADVICE, _WRITE_STRING_ADVICE if writes else _APPEND_STRING_ADVICE
            for v in args[VARIADIC_ANY[target] :]:
                self._check(v, ctx, f"passing {{v}} ({{t}}) to {name}'s ...any parameter", advice,
                            movable=True, concat=concat, strings=strings)  # fmt: skip
        elif target == "append" and args:
            st = ctx.underlying(ctx.type_of(args[0]))
            if st is None or st.kind != "slice" or not _is_interface(st.elem, ctx):
                return
            for v in args[1:]:
                self._check(v, ctx, f"appending {{v}} ({{t}}) to a {st}", "keep a slice of the concrete type")

    def visit_assignment_statement(self, node: Node, ctx: FileContext) -> None:
        a = ctx.assignment(node)
        if a.op != "=":
            return
        for lhs, rhs in a.pairs:
            lhs = unparen(lhs)
            if lhs is None or lhs.type != "index_expression" or not ctx.is_hot(node):
                continue
            mt = ctx.underlying(ctx.type_of(lhs.child_by_field_name("operand")))
            if mt is None or mt.kind != "map" or not _is_interface(mt.elem, ctx):
                continue
            self._check(rhs, ctx, f"storing {{v}} ({{t}}) in a {mt}", "use a map with a concrete value type")

    def visit_composite_literal(self, node: Node, ctx: FileContext) -> None:
        tnode = node.child_by_field_name("type")
        if tnode is None or tnode.type in _NOT_MAP_TYPES:
            return
        if tnode.type == "type_identifier" and not ctx.file.imports.dot:
            # `T{...}`: a map only when the package declares T as one (or through another name); the
            # commonest literal, a struct, is ruled out by a look-up before the hot-context test
            decl = ctx.index.types.get(ctx.text(tnode))
            if decl is None or (decl.type_node is not None and decl.type_node.type in _NOT_MAP_TYPES):
                return
        if not ctx.is_hot(node):
            return
        mt = ctx.underlying(ctx.type_of(node))
        if mt is None or mt.kind != "map" or not _is_interface(mt.elem, ctx):
            return
        body = node.child_by_field_name("body")
        if body is None:
            return
        for kv in body.named_children:
            if kv.type != "keyed_element" or len(kv.named_children) != 2:
                continue
            value = kv.named_children[1]
            if value.type == "literal_element" and value.named_children:
                value = value.named_children[0]
            self._check(value, ctx, f"storing {{v}} ({{t}}) in a {mt} literal", "use a map with a concrete "
                        "value type")  # fmt: skip

    def _check(
        self,
        value: Node,
        ctx: FileContext,
        what: str,
        advice: str,
        movable: bool = False,
        concat: bool = False,
        strings: str | None = None,
    ) -> None:
        """`movable`: a call that could be moved out of the loop, advised only when a loop is the reason;
        `strings`: the advice for a string value, when it differs from `advice`."""
        v = unparen(value)
        if v is None or ctx.is_constant(v) or _constant_literal(v, ctx):
            return
        t = ctx.type_of(v)
        if t is None or t.kind == "untyped":
            return
        size = cost.boxing_bytes(v, t, ctx.resolver)
        if not size:
            return  # free (pointer-shaped, one byte, a small integer, empty) or not known
        reason = ctx.repeated_hot_reason(v)
        if reason is None or ctx.under_constant_condition(v):
            return
        text = ctx.text(v)
        if len(text) > 40:
            text = text[:37] + "..."
        lead = what.format(v=text, t=t)
        if concat and t.is_named("string"):
            advice = (
                "join the strings with + (one allocation for the result, no boxing and no format parsing)"
            )
        elif strings is not None and cost.is_string(t, ctx.resolver):
            advice = strings  # strconv has nothing to format a string with
        # integers below 256 come from the runtime's static table: the claim holds for larger values
        small = " of a value of 256 or more" if cost.is_integer(t, ctx.resolver) else ""
        if movable and reason == "in a loop":
            advice += ", or move the call out of the loop"
        ctx.report(
            v,
            f"{lead} {reason} converts it to an interface, which copies its {size} bytes to the heap on "
            f"every conversion{small}; {advice}",
        )


_REFLECT_HOT = {
    "reflect.Value.Call": "its result slice",
    "reflect.Value.CallSlice": "its result slice",
    "reflect.Value.MethodByName": "a method lookup by name (a linear search) and a method value",
    "reflect.New": "a new zeroed object",
    "reflect.MakeSlice": "a new slice backing array",
    "reflect.MakeMap": "a new map",
    "reflect.MakeMapWithSize": "a new map",
    "reflect.MakeFunc": "a new closure and its call frame",
}


class ReflectCallHot(Rule):
    """
    ## What it finds
    In hot context (a loop body on every iteration, an HTTP handler, a looping goroutine):
    `reflect.Value.Call` / `CallSlice`, `reflect.Value.MethodByName`, `reflect.New`,
    `reflect.MakeSlice` / `MakeMap` / `MakeMapWithSize` / `MakeFunc`. Reported at the call. The receiver
    of a method must be known to be a `reflect.Value`.
    ## Why it matters
    These calls allocate: `Call` returns a new `[]reflect.Value` of results and copies each non-pointer
    result to the heap (2 allocations, 32 B, per call of a `func() int`; its frame comes from a pool,
    so a function with no results allocates nothing, though its call still takes about 60 times as
    long as a direct one), and the caller boxes the arguments into `reflect.Value`s; `New` and `Make*`
    allocate the object, `MethodByName` searches the method table and builds a method value.
    Resolve what you can once, outside the loop (the method, the function value, a typed pointer), or
    replace reflection with a type switch or generics.
    ## Not reported
    `New`/`Make*` whose object outlives the iteration: set into a value (`v.Set(reflect.New(t))`, a
    decoder filling a nil pointer), appended, returned, or stored in a field, an element or a literal,
    directly or through the local it is assigned to. That allocation is the result the code builds, and
    cannot be hoisted; a scratch value used and dropped within the iteration can (`kv :=
    reflect.New(kt).Elem(); kv.SetInt(n); m.SetMapIndex(kv, e)`: SetMapIndex copies it).
    """

    meta = RuleMeta(
        code="BOX002",
        kind="cost",
        allocates=True,
        name="reflect-call-hot",
        severity=Severity.WARNING,
        summary="allocating reflect call in hot context",
        needs_imports=("reflect",),
        hot_only=True,
        bad='package p\n\nimport "reflect"\n\nfunc callAll(fs []any) {\n\tfor _, f := range fs {\n'
        "\t\treflect.ValueOf(f).Call(nil)\n\t}\n}\n",
        good="package p\n\nfunc callAll(fs []func() int) {\n\tfor _, f := range fs {\n\t\tf()\n\t}\n}\n",
    )

    calls = callee_names(*_REFLECT_HOT)

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        target = ctx.call_target(node)
        what = _REFLECT_HOT.get(target or "")
        if what is None:
            return
        if target == "reflect.MakeSlice" and _zero_capacity(node, ctx):
            return  # no backing array: the runtime points an empty slice at zerobase
        if target in _MAKES_A_VALUE and _value_is_kept(node, ctx):
            return  # the new object is the result (a decoder filling a pointer, a slice it returns)
        reason = ctx.repeated_hot_reason(node)
        if reason is None or ctx.under_constant_condition(node):
            return
        name = target.removeprefix("reflect.")  # type: ignore[union-attr]
        where = " outside the loop" if reason.startswith("in a loop") else ""
        if target in _MAKES_A_VALUE:
            scope = "within the iteration" if where else "here"
            advice = (
                f"it is used only {scope}: allocate it once{where} and reuse it (Set and SetMapIndex copy "
                "from it)"
            )
        else:
            advice = f"resolve it once{where}, or use a type switch or generics instead of reflection"
        ctx.report(node, f"reflect {name} {reason} allocates {what} on every call; {advice}")


_MAKES_A_VALUE = frozenset(
    {"reflect.New", "reflect.MakeSlice", "reflect.MakeMap", "reflect.MakeMapWithSize", "reflect.MakeChan"}
)
# Methods of reflect.Value that keep the value they are given (store it, or a pointer into it).
_KEEPING_METHODS = frozenset({b"Set", b"Append", b"AppendSlice", b"Send"})
# Views into the same object (`reflect.New(t).Elem()`, `.Field(0)`, `.Interface()`): the object lives as
# long as they do.
_VIEWS = frozenset(
    {
        b"Elem",
        b"Interface",
        b"Addr",
        b"Pointer",
        b"UnsafePointer",
        b"Field",
        b"FieldByName",
        b"Index",
        b"Slice",
        b"Slice3",
    }
)


def _value_is_kept(call: Node, ctx: FileContext) -> bool:
    """The object `reflect.New`/`Make*` allocates outlives the iteration: it is set into a value
    (`v.Set(reflect.New(t))`), appended, returned, stored in a field, element or literal, directly or
    through the one local it is assigned to. Then the allocation is what the code is for (a decoder
    filling a nil pointer, building the slice it returns) and cannot be hoisted out of the loop; a
    scratch value used and dropped within the iteration (`kv := reflect.New(kt).Elem(); kv.SetInt(n);
    m.SetMapIndex(kv, v)`, which copies it) can."""
    if _kept_use(call):
        return True
    bound = ctx.assigned_local(_view_of(call))
    return bound is not None and any(_kept_use(ref, onward=True) for ref in ctx.references(bound[0]))


def _view_of(expr: Node) -> Node:
    """`expr`, or the outermost `.Elem()`/`.Interface()`/… call chained on it."""
    while True:
        sel = expr.parent
        if sel is None or sel.type != "selector_expression" or sel.child_by_field_name("operand") != expr:
            return expr
        field = sel.child_by_field_name("field")
        call = sel.parent
        if field is None or field.text not in _VIEWS or call is None or call.type != "call_expression":
            return expr
        expr = call


def _kept_use(expr: Node, *, onward: bool = False) -> bool:
    """A use of `expr` (or a view of it) that keeps the object: an argument of `v.Set`/`Append`/`Send`
    or `append`, a returned value, an element of a literal, a value stored in a field or element; with
    `onward` (a use of the local the object was bound to), also a value assigned to another variable,
    whose uses this does not follow."""
    view = _view_of(expr)
    p = view.parent
    if p is None:
        return False
    if p.type == "argument_list":
        outer = p.parent
        fn = outer.child_by_field_name("function") if outer is not None else None
        if fn is None:
            return False
        if fn.type == "identifier":
            return fn.text == b"append"
        field = fn.child_by_field_name("field") if fn.type == "selector_expression" else None
        return field is not None and field.text in _KEEPING_METHODS
    if p.type in ("literal_element", "keyed_element"):
        return True
    while p is not None and p.type == "expression_list":
        view, p = p, p.parent
    if p is None:
        return False
    if p.type == "return_statement":
        return True
    if p.type == "assignment_statement" and view == p.child_by_field_name("right"):
        left = p.child_by_field_name("left")
        targets = left.named_children if left is not None and left.type == "expression_list" else [left]
        return onward or any(t is not None and t.type != "identifier" for t in targets)
    return False


def _only_string_verbs(args: list[Node], ctx: FileContext) -> bool:
    """`fmt.Sprintf("%s-%s", a, b)`: what `+` does, without fmt (only `%s` verbs in a literal format)."""
    if not args:
        return False
    fmt_arg = unparen(args[0])
    if fmt_arg is None or fmt_arg.type not in ("interpreted_string_literal", "raw_string_literal"):
        return False
    verbs = re.findall(r"%[^%]", ctx.text(fmt_arg).replace("%%", ""))
    return bool(verbs) and all(v == "%s" for v in verbs)


def _zero_capacity(call: Node, ctx: FileContext) -> bool:
    """`reflect.MakeSlice(t, 0, 0)`: a constant capacity of zero allocates no array."""
    args = ctx.args(call)
    return len(args) == 3 and ctx.is_constant(args[2]) and ctx.text(args[2]).strip() == "0"


_VERB = re.compile(r'^(?:"(%[dsvt])"|`(%[dsvt])`)$')


def _stands_alone(expr: Node) -> bool:
    """`expr` is a whole argument, element, operand of `=`/`return`: it needs no parentheses."""
    p = expr.parent
    return p is not None and p.type in (
        "argument_list", "literal_element", "expression_list", "keyed_element", "return_statement",
        "assignment_statement", "short_var_declaration", "var_spec", "parenthesized_expression",
    )  # fmt: skip


class SprintfSimple(Rule):
    """
    ## What it finds
    `fmt.Sprintf` / `fmt.Sprint` whose whole job is one conversion of a value of a built-in type:
    `Sprintf("%d", i)` / `Sprint(i)` with an `int` → `strconv.Itoa(i)` (`int64` → `strconv.FormatInt(i,
    10)`), `Sprintf("%s", s)` / `Sprint(s)` with a `string` → `s`, `Sprintf("%v", err)` with an `error` →
    `err.Error()`, `Sprintf("%t", b)` with a `bool` → `strconv.FormatBool(b)`. Reported at the call.
    An untyped constant counts with its default type (`Sprintf("%d", 42)`, `Sprint("x")`): converting it to
    an interface does not allocate, but fmt still parses the format and formats it on every call.
    Named types (which may have a `String` or `Format` method) and values of unknown type are skipped.
    ## Why it matters
    `fmt` parses the format, converts the argument to an interface (an allocation for non-pointer
    values) and dispatches through reflection-like code to produce what a direct call returns faster.
    ## Fix safety
    Safe, except `err.Error()`: `Sprintf("%v", err)` prints `<nil>` for a nil error where `err.Error()`
    panics, so that fix is offered as unsafe. The fix adds the `strconv` import when the file lacks it,
    and is not offered when it would leave the file's `fmt` import unused.
    """

    meta = RuleMeta(
        code="BOX003",
        kind="cost",
        allocates=True,
        cheap_per_use=True,
        name="sprintf-simple",
        severity=Severity.INFO,
        summary="fmt.Sprintf/Sprint that is a single direct conversion",
        needs_imports=("fmt",),
        fix="safe",
        bad='package p\n\nimport "fmt"\n\nfunc key(id int) string {\n\treturn fmt.Sprintf("%d", id)\n}\n',
        good='package p\n\nimport "strconv"\n\nfunc key(id int) string {\n\treturn strconv.Itoa(id)\n}\n',
    )

    def __init__(self) -> None:
        self._fmt_kept: dict[int, bool] = {}

    calls = callee_names("fmt.Sprintf", "fmt.Sprint")

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        plan = self._plan(node, ctx)
        if plan is None:
            return
        arg, template, needs_strconv, safe = plan
        a = ctx.text(arg)
        inner = unparen(arg)
        compound = inner is not None and inner.type in ("binary_expression", "unary_expression")
        if compound and (template == "{}.Error()" or (not needs_strconv and not _stands_alone(node))):
            a = f"({a})"
        q = ctx.qualifier("strconv") or "strconv."
        replacement = (
            template.format(a) if not needs_strconv else template.format(a).replace("strconv.", q, 1)
        )
        call = ctx.text(node.child_by_field_name("function"))
        fix = None
        if self._fmt_stays_used(ctx):
            edits = [Edit.replace(node, replacement)]
            if needs_strconv and ctx.qualifier("strconv") is None:
                imp = ctx.import_edit("strconv")
                if imp is None:
                    edits = []
                else:
                    edits.append(imp)
            if edits:
                fix = Fix(f"replace with {replacement}", edits, safe=safe)
        # a constant is boxed without allocating (static data), but fmt still formats it per call
        verb = "parses a format and " if ctx.call_target(node) == "fmt.Sprintf" else ""
        work = (
            "formats a constant at run time"
            if ctx.is_constant(arg)
            else "boxes its argument only to convert one value"
        )
        ctx.report(
            node,
            f"{call}({', '.join(ctx.text(x) for x in ctx.args(node))}) {verb}{work}; use {replacement}",
            fix=fix,
        )

    def _plan(self, node: Node, ctx: FileContext) -> tuple[Node, str, bool, bool] | None:
        """(argument, replacement template, needs strconv, fix is safe) for a simple Sprintf/Sprint."""
        target = ctx.call_target(node)
        if target not in ("fmt.Sprintf", "fmt.Sprint") or _has_spread(node):
            return None
        args = ctx.args(node)
        if target == "fmt.Sprintf":
            if len(args) != 2:
                return None
            m = _VERB.match(ctx.text(args[0]))
            if m is None:
                return None
            verb = (m.group(1) or m.group(2))[1]
            arg = args[1]
        else:
            if len(args) != 1:
                return None
            verb, arg = "v", args[0]
        t = default_type(ctx.type_of(arg))  # a constant is still boxed, parsed and formatted at run time
        if t is None or t.kind != "named" or t.pkg:
            return None
        match (t.name, verb):
            case ("int", "d" | "v"):
                return arg, "strconv.Itoa({})", True, True
            case ("int64", "d" | "v"):
                return arg, "strconv.FormatInt({}, 10)", True, True
            case ("uint64", "d" | "v"):
                return arg, "strconv.FormatUint({}, 10)", True, True
            case ("string", "s" | "v"):
                return arg, "{}", False, True
            case ("bool", "t" | "v"):
                return arg, "strconv.FormatBool({})", True, True
            case ("error", "s" | "v"):
                return arg, "{}.Error()", False, False
        return None

    def _fmt_stays_used(self, ctx: FileContext) -> bool:
        """Whether the file uses fmt for anything besides calls this rule rewrites (else the fixes would
        leave an unused import, which does not compile)."""
        key = id(ctx.file)
        if key not in self._fmt_kept:
            name = (ctx.qualifier("fmt") or "").rstrip(".")
            kept = False
            if name:
                # the identifiers spelled like the qualifier (a byte search, not a query of the file)
                for ident in spelled(ctx.file, name.encode()):
                    n = paren_root(ident).parent
                    if n is None or n.type != "selector_expression":
                        continue
                    if unparen(n.child_by_field_name("operand")) != ident:
                        continue
                    call = n.parent
                    if (
                        call is not None
                        and call.type == "call_expression"
                        and self._plan(call, ctx) is not None
                    ):
                        continue
                    kept = True
                    break
            else:
                kept = True  # dot import or none: nothing to leave unused
            self._fmt_kept[key] = kept
        return self._fmt_kept[key]


class LinknameRuntime(Rule):
    """
    ## What it finds
    A `//go:linkname local runtime.symbol` directive that pulls a symbol of package `runtime`. Reported at
    the directive. Not reported inside Go's own source tree (modules `std` and `cmd`), which the linker
    exempts.
    ## Why it matters
    Since Go 1.23 the linker rejects linkname references to runtime internals that the runtime does not
    explicitly mark as linkable (`-checklinkname`); symbols that are still allowed are kept only for
    compatibility and may change meaning or disappear in any release. Code using them breaks on upgrade.
    Use the exported API (`time.Now`, `math/rand/v2`, `runtime` functions, `sync/atomic`) instead.
    ## Go versions
    The restriction exists since Go 1.23; the rule reports on every version because the code is fragile
    either way.
    """

    meta = RuleMeta(
        code="BOX004",
        kind="defect",
        name="linkname-runtime",
        severity=Severity.WARNING,
        summary="//go:linkname pull of a runtime internal",
        bad='package p\n\nimport _ "unsafe"\n\n//go:linkname nanotime runtime.nanotime\nfunc nanotime() int64\n',
        good='package p\n\nimport "time"\n\nfunc nanotime() int64 { return time.Now().UnixNano() }\n',
    )

    requires_text = (b"//go:linkname ",)

    def visit_comment(self, node: Node, ctx: FileContext) -> None:
        raw = ctx.text(node)
        if not raw.startswith("//go:linkname "):
            return
        parts = raw.split()
        if len(parts) != 3 or not parts[2].startswith("runtime."):
            return
        if gomod.module_path_for_dir(ctx.index.directory.absolute()) in _STD_MODULES:
            return
        ctx.report(
            node,
            f"//go:linkname {parts[1]} {parts[2]} pulls a runtime internal: since Go 1.23 the linker rejects "
            "runtime symbols not marked for linkname, and those still allowed can change in any release; "
            "use the exported API instead",
        )
