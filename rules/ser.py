"""SER: serialization and buffers."""

from __future__ import annotations

import attrs

from gostatic.analysis import flow
from gostatic.analysis.codecs import PROTO_PACKAGES, json_function, stream_base
from gostatic.analysis.index import TypeDecl, type_from_node
from gostatic.analysis.scopes import Binding
from gostatic.analysis.types import GoType
from gostatic.analysis.writers import WriterInfo, writer_argument, writer_info
from gostatic.parse.syntax import (
    expression_list,
    find_all,
    is_plain_reference,
    paren_root,
    root_identifier,
    statements,
    unparen,
)
from gostatic.rule import Edit, FileContext, Fix, Node, PackageContext, Rule, RuleMeta, Severity, callee_names

_JSON_MARSHAL = "encoding/json.Marshal"
_READ_ALL = ("io.ReadAll", "io/ioutil.ReadAll")
_PROTO_MARSHAL = tuple(f"{p}.Marshal" for p in PROTO_PACKAGES)
_STRING_FORMATS = ('"%s"', "`%s`")
_STRING_FORMATS_NL = ('"%s\\n"',)


# ------------------------------------------------------------------------------------------ helpers
@attrs.frozen(repr=False)
class _Write:
    """A call that writes some data, unchanged, to `writer`."""

    call: Node
    writer: Node  # the destination expression
    info: WriterInfo | None  # None for fmt/io functions, whose first parameter is statically an io.Writer
    newline: bool  # the call writes a newline after the data (Fprintln, "%s\n")


def _string_conversion(ctx: FileContext, node: Node) -> Node | None:
    """The `string(node)` call around `node`, if that is its parent."""
    args = node.parent
    call = args.parent if args is not None and args.type == "argument_list" else None
    if call is None or call.type != "call_expression" or ctx.single_arg(call) != node:
        return None
    fn = unparen(call.child_by_field_name("function"))
    if fn is None or fn.type != "identifier" or fn.text != b"string":
        return None
    b = ctx.resolve(fn)
    return call if b is not None and b.kind == "builtin" else None


def _written(ctx: FileContext, data: Node) -> _Write | None:
    """How the []byte expression `data` is written as is: `w.Write(data)`, `fmt.Fprint(w, string(data))`,
    `fmt.Fprintf(w, "%s", data)`, `io.WriteString(w, string(data))`, `w.WriteString(string(data))`."""
    conv = _string_conversion(ctx, data)
    arg = conv if conv is not None else data
    holder = arg.parent
    call = holder.parent if holder is not None and holder.type == "argument_list" else None
    if call is None or call.type != "call_expression":
        return None
    args = ctx.args(call)
    target = ctx.call_target(call)
    if target in ("fmt.Fprint", "fmt.Fprintln") and conv is not None and len(args) == 2 and args[1] == arg:
        return _Write(call, args[0], None, target == "fmt.Fprintln")
    if target == "fmt.Fprintf" and len(args) == 3 and args[2] == arg:
        fmt = ctx.text(args[1])
        if fmt in _STRING_FORMATS or fmt in _STRING_FORMATS_NL:
            return _Write(call, args[0], None, fmt in _STRING_FORMATS_NL)
        return None
    if target == "io.WriteString" and conv is not None and len(args) == 2 and args[1] == arg:
        return _Write(call, args[0], None, False)
    recv = ctx.receiver(call)
    name = ctx.method_name(call)
    if recv is None or len(args) != 1 or args[0] != arg or name not in ("Write", "WriteString"):
        return None
    info = writer_info(ctx.resolver, recv)
    if (
        info is None
        or (name == "Write") != (conv is None)
        or (name == "WriteString" and not info.has_write_string)
    ):
        return None
    return _Write(call, recv, info, False)


def _appends_newline(ctx: FileContext, stmt: Node, data: Binding) -> bool:
    """`b = append(b, '\\n')` (or `"\\n"...`) on the binding `data`."""
    if stmt.type != "assignment_statement":
        return False
    op = stmt.child_by_field_name("operator")
    left = expression_list(stmt.child_by_field_name("left"))
    right = expression_list(stmt.child_by_field_name("right"))
    if op is None or op.type != "=" or len(left) != 1 or len(right) != 1 or ctx.resolve(left[0]) is not data:
        return False
    call = unparen(right[0])
    if call is None or ctx.call_target(call) != "append":
        return False
    args = ctx.args(call)
    if len(args) != 2 or ctx.resolve(args[0]) is not data:
        return False
    extra = (
        args[1].named_children[0]
        if args[1].type == "variadic_argument" and args[1].named_children
        else args[1]
    )
    return ctx.text(extra) in ("'\\n'", '"\\n"') and (
        args[1].type == "variadic_argument"
    ) == extra.type.endswith("string_literal")


def _declared_pair(ctx: FileContext, call: Node) -> tuple[Node, Node, Binding] | None:
    """For `x, err := call`: (the statement, the `err` identifier, x's binding) when x is declared there."""
    holder = call.parent
    stmt = holder.parent if holder is not None and holder.type == "expression_list" else None
    if (
        stmt is None
        or stmt.type != "short_var_declaration"
        or expression_list(stmt.child_by_field_name("right")) != [call]
    ):
        return None
    left = expression_list(stmt.child_by_field_name("left"))
    if len(left) != 2 or left[0].type != "identifier" or left[1].type != "identifier":
        return None
    b = ctx.resolve(left[0])
    if b is None or b.ident is None or b.ident.start_byte != left[0].start_byte:
        return None
    return stmt, left[1], b


def _declared_here(ctx: FileContext, ident: Node) -> bool:
    b = ctx.resolve(ident)
    return b is not None and b.ident is not None and b.ident.start_byte == ident.start_byte


def _line_span(ctx: FileContext, node: Node) -> tuple[int, int] | None:
    """Byte range of the whole line(s) holding `node`, newline included, when nothing else is on them."""
    src = ctx.source
    start = src.rfind(b"\n", 0, node.start_byte) + 1
    end = src.find(b"\n", node.end_byte)
    end = len(src) if end < 0 else end + 1
    if src[start : node.start_byte].strip() or src[node.end_byte : end].strip():
        return None
    return start, end


def _is_err_check(ctx: FileContext, stmt: Node, err: Binding) -> bool:
    """`if err != nil { ... }` with no initializer and no else."""
    if stmt.type != "if_statement" or stmt.child_by_field_name("initializer") is not None:
        return False
    if stmt.child_by_field_name("alternative") is not None:
        return False
    cond = unparen(stmt.child_by_field_name("condition"))
    if cond is None or cond.type != "binary_expression":
        return False
    op = cond.child_by_field_name("operator")
    left = unparen(cond.child_by_field_name("left"))
    right = unparen(cond.child_by_field_name("right"))
    return (
        op is not None
        and op.type == "!="
        and left is not None
        and left.type == "identifier"
        and ctx.resolve(left) is err
        and right is not None
        and right.type == "nil"
    )


def _visible_at(ctx: FileContext, expr: Node, at: Node) -> bool:
    """The names `expr` (a plain reference, maybe behind `&`) uses are declared before `at`."""
    inner = unparen(expr)
    if inner is not None and inner.type == "unary_expression":
        inner = unparen(inner.child_by_field_name("operand"))
    if not is_plain_reference(inner):
        return False
    root = root_identifier(inner)
    b = ctx.resolve(root)
    if b is None:
        return False
    return not b.is_local or b.visible_from <= at.start_byte


def _is_string(ctx: FileContext, expr: Node | None) -> bool:
    t = ctx.type_of(expr)
    if t is None:
        return False
    if t.kind == "untyped":
        return t.name == "string"
    u = ctx.underlying(t)
    return u is not None and u.is_named("string")


def _is_byte_slice_type(ctx: FileContext, tnode: Node | None) -> bool:
    t = ctx.resolver.type_node(tnode)
    return (
        t is not None
        and t.kind == "slice"
        and t.elem is not None
        and t.elem.kind == "named"
        and (t.elem.qualified in ("byte", "uint8"))
    )


def _buffer_method_call(ctx: FileContext, expr: Node | None, method: str) -> Node | None:
    """The receiver `buf` when `expr` is `buf.<method>()` on a bytes.Buffer."""
    expr = unparen(expr)
    if expr is None or expr.type != "call_expression" or ctx.args(expr):
        return None
    if ctx.call_target(expr) != f"bytes.Buffer.{method}":
        return None
    return ctx.receiver(expr)


def _method_operand(ctx: FileContext, expr: Node) -> str:
    """`w` as the operand of a method call: `(&buf)` is spelled `buf`, other non-primary forms get parens."""
    expr = unparen(expr) or expr
    if expr.type == "unary_expression":
        op = expr.child_by_field_name("operator")
        operand = unparen(expr.child_by_field_name("operand"))
        if op is not None and op.type == "&" and operand is not None and is_plain_reference(operand):
            return ctx.text(operand)
        return f"({ctx.text(expr)})"
    return ctx.text(expr)


def _implements_write_string(ctx: FileContext, node: Node) -> bool:
    """`node` is in the body of a function or method named WriteString (an io.StringWriter adapter or
    io.WriteString itself), where writing through Write is the implementation, not a missed shortcut."""
    fn = ctx.resolver.top_function(node)
    name = fn.child_by_field_name("name") if fn is not None else None
    return name is not None and name.text == b"WriteString"


def _brief(text: str, limit: int = 60) -> str:
    """`text` on one line, shortened for a message: `f(a, ...)` / `f(...)` when a call is too long."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.find("(")
    if 0 < cut < limit - 6:
        comma = flat.find(", ", cut)
        if 0 < comma < limit - 6:
            return flat[: comma + 2] + "...)"
        return flat[: cut + 1] + "...)"
    return flat[: limit - 3] + "..."


# ------------------------------------------------------------------------------------------ SER001
class MarshalThenWrite(Rule):
    """
    ## What it finds
    `b, err := json.Marshal(v)` where `b` has exactly one use, and that use writes it unchanged to an
    `io.Writer` once: `w.Write(b)`, `fmt.Fprint(w, string(b))`, `fmt.Fprintf(w, "%s", b)`,
    `io.WriteString(w, string(b))`, possibly after `b = append(b, '\\n')` (exactly what Encode writes).
    Reported at the `json.Marshal` call. `w` must be known to be a writer
    (an io or net/http writer interface, `*os.File`, `*bytes.Buffer`, `*bufio.Writer`, or a package type
    with a `Write([]byte) (int, error)` method). Not reported when `b` is used for anything else
    (`len(b)` for a Content-Length header, a log line, a cache) or written several times. Drop-in
    replacements with the same API count as `encoding/json`: json-iterator (also its config values such
    as `jsoniter.ConfigCompatibleWithStandardLibrary`), goccy/go-json, bytedance/sonic (its default
    config has the encoder) and segmentio/encoding/json.
    ## Why it matters
    `json.Marshal` encodes into an internal pooled buffer, then copies the whole document into a new
    `[]byte` of its size, which the caller only copies again into the writer. `json.NewEncoder(w).Encode(v)`
    encodes into the same pooled buffer and writes from it: no document-sized allocation per call.
    Encoding errors are still returned before anything is written.
    ## Fix safety
    Unsafe, so applied only with `--unsafe-fixes`: `Encode` writes a newline after the document, and a
    write error now arrives through the `err` that checked the marshal error. The fix is offered when the
    write directly follows the `Marshal` statement (with at most an `if err != nil {...}` between them)
    and its result is dropped or assigned to `_, err`; the `Marshal` statement becomes
    `err := json.NewEncoder(w).Encode(v)` and the write statement is removed.
    """

    meta = RuleMeta(
        code="SER001",
        kind="cost",
        allocates=True,
        name="marshal-then-write",
        severity=Severity.WARNING,
        summary="encoded JSON from json.Marshal only written to an io.Writer",
        needs_imports=(),  # also a config value of a drop-in JSON package, declared in another file
        fix="unsafe",
        bad='package p\n\nimport (\n\t"encoding/json"\n\t"net/http"\n)\n\n'
        "func serve(w http.ResponseWriter, v any) {\n\tb, err := json.Marshal(v)\n\tif err != nil {\n"
        "\t\thttp.Error(w, err.Error(), http.StatusInternalServerError)\n\t\treturn\n\t}\n\tw.Write(b)\n}\n",
        good='package p\n\nimport (\n\t"encoding/json"\n\t"net/http"\n)\n\n'
        "func serve(w http.ResponseWriter, v any) {\n\terr := json.NewEncoder(w).Encode(v)\n\tif err != nil {\n"
        "\t\thttp.Error(w, err.Error(), http.StatusInternalServerError)\n\t\treturn\n\t}\n}\n",
    )

    calls = callee_names(_JSON_MARSHAL)

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        target = ctx.call_target(node)
        if target is None or json_function(target) != "Marshal":
            return  # encoding/json, or a drop-in replacement with its API (codecs.JSON_PACKAGES)
        value = ctx.single_arg(node)
        pair = _declared_pair(ctx, node)
        if value is None or pair is None:
            return
        stmt, err, data = pair
        ref, newline_stmt = self._write_reference(ctx, stmt, data)
        write = _written(ctx, ref) if ref is not None else None
        if write is None or not ctx.runs_once_per(stmt, write.call):
            return
        fn = node.child_by_field_name("function")
        pkg = ctx.text(fn.child_by_field_name("operand")) if fn is not None else "json"
        dest_text = ctx.text(write.writer)
        if write.info is not None:
            dest_text = writer_argument(write.writer, write.info)
        encode = f"{stream_base(target, pkg)}.NewEncoder({dest_text or ctx.text(write.writer)}).Encode({ctx.text(value)})"
        same_newline = write.newline or newline_stmt is not None
        note = "with the same trailing newline" if same_newline else "note that Encode adds a newline"
        fix = None
        if dest_text is not None:
            fix = self._fix(ctx, stmt, err, write, newline_stmt, encode)
        ctx.report(
            node,
            f"{pkg}.Marshal copies the encoded document into a new []byte that is only written to "
            f"{_brief(ctx.text(write.writer))}: {_brief(encode)} writes it from a reused buffer without that "
            "allocation "
            f"({note})",
            fix=fix,
        )

    @staticmethod
    def _write_reference(ctx: FileContext, stmt: Node, data: Binding) -> tuple[Node | None, Node | None]:
        """The one use of the marshalled bytes, and the `b = append(b, '\\n')` statement (a sibling after
        the Marshal) when the bytes pass through one first."""
        refs = ctx.references(data)
        if len(refs) == 1:
            return refs[0], None
        if len(refs) != 3:
            return None, None
        nl = ctx.statement_of(refs[0])
        if nl.parent != stmt.parent or nl.start_byte < stmt.end_byte or not _appends_newline(ctx, nl, data):
            return None, None
        if not (nl.start_byte <= refs[1].start_byte < nl.end_byte) or refs[2].start_byte < nl.end_byte:
            return None, None
        return refs[2], nl

    def _fix(
        self, ctx: FileContext, stmt: Node, err: Node, write: _Write, newline_stmt: Node | None, encode: str
    ) -> Fix | None:
        holder = stmt.parent
        if holder is None or not _visible_at(ctx, write.writer, stmt):
            return None
        siblings = statements(holder)
        write_stmt = ctx.statement_of(write.call)
        if stmt not in siblings or write_stmt not in siblings:
            return None
        i, j = siblings.index(stmt), siblings.index(write_stmt)
        between = [s for s in siblings[i + 1 : j] if s != newline_stmt]
        err_binding = ctx.resolve(err) if err.text != b"_" else None
        if j <= i or len(between) > 1:
            return None
        if between and (err_binding is None or not _is_err_check(ctx, between[0], err_binding)):
            return None
        if not self._result_dropped(ctx, write_stmt, write.call, err_binding):
            return None
        spans = [_line_span(ctx, s) for s in (write_stmt, newline_stmt) if s is not None]
        if any(span is None for span in spans):
            return None
        if err_binding is None:
            new = f"_ = {encode}"
        elif _declared_here(ctx, err):
            new = f"{ctx.text(err)} := {encode}"
        else:
            new = f"{ctx.text(err)} = {encode}"
        deletions = [Edit(span[0], span[1], "") for span in spans if span is not None]
        return Fix(
            f"encode straight into the writer with {encode}",
            [Edit.replace(stmt, new), *deletions],
            safe=False,
        )

    @staticmethod
    def _result_dropped(ctx: FileContext, stmt: Node, call: Node, err: Binding | None) -> bool:
        """`w.Write(b)` as a statement, or `_, err = w.Write(b)` with the marshal's own `err` (or `_`)."""
        if stmt.type == "expression_statement":
            return unparen(stmt.named_children[0]) == call if stmt.named_children else False
        if stmt.type not in ("assignment_statement", "short_var_declaration"):
            return False
        left = expression_list(stmt.child_by_field_name("left"))
        if expression_list(stmt.child_by_field_name("right")) != [call] or len(left) != 2:
            return False
        if left[0].text != b"_" or left[1].type != "identifier":
            return False
        return left[1].text == b"_" or (err is not None and ctx.resolve(left[1]) is err)


# ------------------------------------------------------------------------------------------ SER002
class ReadAllThenUnmarshal(Rule):
    """
    ## What it finds
    `data, err := io.ReadAll(r)` (or `ioutil.ReadAll`) where `data` has exactly one use: the first
    argument of `json.Unmarshal`, called once per read. Reported at the `ReadAll` call. Not reported when
    the bytes are also logged, checked, sliced, hashed or unmarshalled more than once. `Unmarshal` of a
    drop-in replacement of encoding/json counts too (see SER001).
    ## Why it matters
    `ReadAll` grows a `[]byte` by repeated reallocation until the input ends, keeps the whole input alive
    while `Unmarshal` first scans all of it for validity and then decodes it. `json.NewDecoder(r).Decode(&v)`
    reads into the decoder's own buffer and validates while reading, so the intermediate slice and the
    second pass go away. The decoder still holds one JSON value in memory: the gain is largest for
    streams of values and for bodies much larger than a read chunk.
    Note the behaviour difference before switching: `Decode` reads one value and does not fail on trailing
    data, which `Unmarshal` rejects.
    ## Retired
    Off by default: measured on go1.27 (`bench/claims/ser002`), `json.NewDecoder(r).Decode(&v)` allocates
    more than `io.ReadAll` + `json.Unmarshal` (about 12% more B/op for a 38.7 KB document read in 4 KiB
    chunks), because the decoder also buffers the whole value, in a buffer it grows itself. Turn it on
    (`--extend-select SER002`) only for streams of several values read through one decoder.
    """

    meta = RuleMeta(
        code="SER002",
        kind="cost",
        allocates=True,
        name="readall-then-unmarshal",
        severity=Severity.WARNING,
        default_on=False,  # retired: its premise fails when measured (see the doc)
        summary="whole input read with io.ReadAll only to be passed to json.Unmarshal",
        needs_imports=("io", "io/ioutil"),
        bad='package p\n\nimport (\n\t"encoding/json"\n\t"io"\n)\n\n'
        "func load(r io.Reader, v any) error {\n\tdata, err := io.ReadAll(r)\n\tif err != nil {\n"
        "\t\treturn err\n\t}\n\treturn json.Unmarshal(data, v)\n}\n",
        good='package p\n\nimport (\n\t"encoding/json"\n\t"io"\n)\n\n'
        "func load(r io.Reader, v any) error {\n\treturn json.NewDecoder(r).Decode(v)\n}\n",
    )

    calls = callee_names(*_READ_ALL)

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        target = ctx.call_target(node)
        if target not in _READ_ALL:
            return
        reader = ctx.single_arg(node)
        pair = _declared_pair(ctx, node)
        if reader is None or pair is None:
            return
        stmt, _err, data = pair
        ref = ctx.only_reference(data)
        holder = ref.parent if ref is not None else None
        call = holder.parent if holder is not None and holder.type == "argument_list" else None
        unmarshal = ctx.call_target(call) if call is not None else None
        if call is None or unmarshal is None or json_function(unmarshal) != "Unmarshal":
            return
        args = ctx.args(call)
        if len(args) != 2 or args[0] != ref or not ctx.runs_once_per(stmt, call):
            return
        fn = call.child_by_field_name("function")
        pkg = ctx.text(fn.child_by_field_name("operand")) if fn is not None else "json"
        short = "ioutil.ReadAll" if target.startswith("io/ioutil") else "io.ReadAll"
        ctx.report(
            node,
            f"{short} collects the whole input in a []byte that is only passed to {pkg}.Unmarshal: "
            f"{_brief(f'{stream_base(unmarshal, pkg)}.NewDecoder({ctx.text(reader)}).Decode({ctx.text(args[1])})')} "
            "decodes from the reader "
            "without that slice and a second validation pass (Decode ignores trailing data)",
        )


# ------------------------------------------------------------------------------------------ SER003
class StringConcatInLoop(Rule):
    """
    ## What it finds
    `s += x` or `s = s + x` where `s` is a variable whose type is known to be a string (or a named
    string type), inside a loop that does not also hold the declaration of `s`. Reported at the statement.
    Not reported when the statement is followed in its block by a `return` (it runs once), or by a
    `break` of the only loop involved, nor when the type of `s` is unknown or not a string, nor when it
    runs only while `s` is empty (in the then-branch of `if s == ""` or `if len(s) == 0`, with nothing
    before it there that may change `s`): appending to an empty string copies nothing built so far.
    ## Why it matters
    Strings are immutable: each concatenation allocates a new string and copies everything built so
    far, so building an n-piece string costs O(n²) bytes copied and n allocations. A `strings.Builder`
    (or `bytes.Buffer`, or collecting the pieces and calling `strings.Join`) grows geometrically and
    copies each byte about once.
    """

    meta = RuleMeta(
        code="SER003",
        kind="cost",
        allocates=True,
        name="string-concat-in-loop",
        severity=Severity.WARNING,
        summary="string built by repeated concatenation in a loop",
        bad='package p\n\nfunc join(parts []string) string {\n\ts := ""\n\tfor _, p := range parts {\n'
        '\t\ts += p + ","\n\t}\n\treturn s\n}\n',
        good='package p\n\nimport "strings"\n\nfunc join(parts []string) string {\n\tvar b strings.Builder\n'
        "\tfor _, p := range parts {\n\t\tb.WriteString(p)\n\t\tb.WriteByte(',')\n\t}\n\treturn b.String()\n}\n",
    )

    def visit_assignment_statement(self, node: Node, ctx: FileContext) -> None:
        op, left, right, _ = ctx.assignment(node)
        if op not in ("=", "+=") or len(left) != 1 or len(right) != 1 or left[0].type != "identifier":
            return
        if op == "=" and _leftmost_operand(right[0]) is None:
            return  # cheap syntactic test before resolving names
        if ctx.enclosing_loop(node) is None:
            return  # only a loop makes the concatenation repeat
        target = ctx.resolve(left[0])
        if target is None or target.kind in ("builtin", "func", "type", "import", "package_const"):
            return
        if op == "=":
            first = _leftmost_operand(right[0])
            if first is None or ctx.resolve(first) is not target:
                return
        if not _is_string(ctx, left[0]):
            return
        outer = target.ident if target.is_local else None
        loops = ctx.loops_between(outer, node)
        # a loop whose body starts the string afresh before this statement bounds the growth to one of
        # its iterations: only the loops inside it make the concatenation repeat
        fresh = next((k for k, loop in enumerate(loops) if ctx.reset_in_loop(loop, target)), len(loops))
        loops = loops[:fresh]
        if not loops or not ctx.repeats_within(node, loops):
            return
        if flow.empty_when_reached(node, target, ctx.resolver):
            return  # `if s == "" { s += "[" }`: appending to nothing copies nothing
        name = target.name
        ctx.report(
            node,
            f"{_brief(ctx.text(node))} in a loop copies all of {name} built so far into a new string on every "
            "iteration (quadratic in the final length); build it with a strings.Builder",
        )


def _leftmost_operand(expr: Node) -> Node | None:
    """`s` in `s + a + b` (a chain of `+`)."""
    cur = unparen(expr)
    seen_plus = False
    while cur is not None and cur.type == "binary_expression":
        op = cur.child_by_field_name("operator")
        if op is None or op.type != "+":
            return None
        seen_plus = True
        cur = unparen(cur.child_by_field_name("left"))
    return cur if seen_plus and cur is not None and cur.type == "identifier" else None


# ------------------------------------------------------------------------------------------ SER004
def _io_qualifier_edits(ctx: FileContext) -> tuple[str, list[Edit]] | None:
    """How to call package io here ("io.", "xio."), with the edit that imports it if needed; None when the
    name `io` is taken in this package, so an added import could not be referred to."""
    q = ctx.qualifier("io")
    if q is not None:
        return q, []
    idx = ctx.index
    if "io" in idx.values or "io" in idx.funcs or "io" in idx.types or "io" in ctx.file.imports.by_name:
        return None
    if b"io" in _identifiers(ctx):
        return None
    edit = ctx.import_edit("io")
    return ("io.", [edit]) if edit is not None else None


def _identifiers(ctx: FileContext) -> set[bytes]:
    return {n.text for n in find_all(ctx.file.tree.root_node, ("identifier",)) if n.text is not None}


class BytesStringRoundtrip(Rule):
    """
    ## What it finds
    A conversion that copies data only to have it converted or copied back (reported at the conversion):
    - `[]byte(buf.String())` on a `bytes.Buffer` (also converting with a name for []byte, such as
      `type blob = []byte`): two copies where `buf.Bytes()` (no copy, when the
      slice is only written or read before the buffer changes) or `bytes.Clone(buf.Bytes())` (one copy)
      will do;
    - `string(buf.Bytes())` passed to a writer (`fmt.Fprint(w, ...)`, `io.WriteString(w, ...)`,
      `w.WriteString(...)`): a copy into a string that is immediately written; use `w.Write(buf.Bytes())`;
    - `w.Write([]byte(s))` where `s` is a string and `w` a writer of known type: a copy into a []byte;
      use `w.WriteString(s)` when the type has it, else `io.WriteString(w, s)`, which passes the string
      to writers that implement `io.StringWriter` (an `http.ResponseWriter` does) without the copy.
      Not reported for a concrete writer type without `WriteString` (io.WriteString would convert the
      same way), inside a `WriteString` method (the fallback that implements it), or when `s` is a
      non-constant concatenation: the compiler builds `[]byte(a + b)` directly as bytes, so there is no
      extra copy to save.
    ## Why it matters
    Each conversion between string and []byte copies the data (and allocates when it does not fit the
    compiler's 32-byte stack buffer or escapes). Doing it only to undo it is pure overhead, per call.
    ## Fix safety
    Safe where the data is only written: `Write` must not keep the slice (io.Writer contract), and the
    result values keep their types. `[]byte(buf.String())` elsewhere gets an unsafe fix,
    `bytes.Clone(buf.Bytes())`, which returns nil instead of an empty slice for an empty, never-written
    buffer. A fix that needs `io` adds the import, and is not offered when the name `io` is taken.
    """

    meta = RuleMeta(
        code="SER004",
        kind="cost",
        allocates=True,
        cheap_per_use=True,
        name="bytes-string-roundtrip",
        severity=Severity.INFO,
        summary="string/[]byte conversion that copies only to convert or copy back",
        needs_imports=(),
        fix="safe",
        bad='package p\n\nimport "net/http"\n\nfunc hello(w http.ResponseWriter, r *http.Request) {\n'
        '\tname := r.FormValue("name")\n\tw.Write([]byte(name))\n}\n',
        good='package p\n\nimport (\n\t"io"\n\t"net/http"\n)\n\nfunc hello(w http.ResponseWriter, r *http.Request) {\n'
        '\tname := r.FormValue("name")\n\tio.WriteString(w, name)\n}\n',
    )

    def visit_type_conversion_expression(self, node: Node, ctx: FileContext) -> None:
        if not _is_byte_slice_type(ctx, node.child_by_field_name("type")):
            return
        operand = node.child_by_field_name("operand")
        if operand is None:
            return
        self._to_bytes(node, operand, ctx)

    def _to_bytes(self, node: Node, operand: Node, ctx: FileContext) -> None:
        """`[]byte(operand)`, also spelled with a name for []byte (`type blob = []byte`; `blob(s)`)."""
        buf = _buffer_method_call(ctx, operand, "String")
        write = _written(ctx, node)
        if write is not None and (write.info is None or write.call.child_by_field_name("function") is None):
            write = None
        if write is not None and ctx.method_name(write.call) != "Write":
            write = None
        if buf is not None:
            self._buffer_string(ctx, node, buf, write)
            return
        if write is None or write.info is None or not _is_string(ctx, operand):
            return
        inner = unparen(operand)
        if inner is not None and inner.type == "binary_expression" and not ctx.is_constant(inner):
            return  # []byte(a + b) is built directly as bytes (runtime concatbyte): no extra copy to save
        if write.info.concrete and not write.info.has_write_string:
            return  # io.WriteString would convert the same way: nothing to gain
        if _implements_write_string(ctx, node):
            return  # the fallback inside a WriteString method: the suggestion would call itself
        recv = _method_operand(ctx, write.writer)
        if write.info.has_write_string:
            better = f"{recv}.WriteString({ctx.text(operand)})"
            fix_edits: list[Edit] | None = [Edit.replace(write.call, better)]
        else:
            arg = writer_argument(write.writer, write.info)
            io = _io_qualifier_edits(ctx)
            better = f"io.WriteString({arg or ctx.text(write.writer)}, {ctx.text(operand)})"
            fix_edits = None
            if arg is not None and io is not None:
                better = f"{io[0]}WriteString({arg}, {ctx.text(operand)})"
                fix_edits = [Edit.replace(write.call, better), *io[1]]
        how = (
            "writes the string without that copy"
            if write.info.has_write_string
            else "passes the string to the writer's WriteString method, when it has one, without that copy"
        )
        ctx.report(
            node,
            f"{_brief(ctx.text(node))} copies the string into a new []byte only to write it; "
            f"{_brief(better)} {how}",
            fix=Fix(f"use {better}", fix_edits) if fix_edits else None,
        )

    def _buffer_string(self, ctx: FileContext, node: Node, buf: Node, write: _Write | None) -> None:
        name = _method_operand(ctx, buf)
        if write is not None:
            ctx.report(
                node,
                f"{_brief(ctx.text(node))} copies the buffer into a string and back into a []byte only to write it; "
                f"pass {name}.Bytes(), which Write does not keep",
                fix=Fix(f"write {name}.Bytes()", [Edit.replace(node, f"{name}.Bytes()")]),
            )
            return
        q = ctx.qualifier("bytes")
        clone = f"{q}Clone({name}.Bytes())" if q is not None else None
        fix = None
        if clone is not None and ctx.go_at_least(1, 20):
            fix = Fix(f"copy once with {clone}", [Edit.replace(node, clone)], safe=False)
        ctx.report(
            node,
            f"{_brief(ctx.text(node))} copies the buffer's contents twice (into a string, then into a []byte); "
            f"{clone or 'bytes.Clone(' + name + '.Bytes())'} copies once, and {name}.Bytes() not at all when "
            "the slice is only read before the buffer changes",
            fix=fix,
        )

    calls = callee_names("string")

    def begin_package(self, pkg: PackageContext) -> None:
        """Conversions to a package type named for []byte or string are calls spelled with its name."""
        names = {"string"}
        for name, decl in pkg.index.types.items():
            if _bytes_or_string(_declared_type(decl)) is not None:
                names.add(name)
        self.calls = frozenset(names)

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        fn = unparen(node.child_by_field_name("function"))
        if fn is None or fn.type != "identifier":
            return
        if fn.text != b"string":
            b = ctx.resolve(fn)
            kind = _bytes_or_string(ctx.underlying(GoType.named(b.name))) if b and b.kind == "type" else None
            arg = ctx.single_arg(node)
            if kind == "bytes" and arg is not None:
                self._to_bytes(node, arg, ctx)  # `blob(buf.String())` with `type blob = []byte`
            return
        arg = ctx.single_arg(node)
        buf = _buffer_method_call(ctx, arg, "Bytes") if arg is not None else None
        if buf is None or arg is None or _string_conversion(ctx, arg) != node:
            return
        write = _written(ctx, arg)
        if write is None:
            return
        better = f"{_method_operand(ctx, write.writer)}.Write({ctx.text(arg)})"
        fix = None
        if write.newline:
            better += " followed by the newline"
        else:
            fix = Fix(f"use {better}", [Edit.replace(write.call, better)])
        ctx.report(
            node,
            f"{_brief(ctx.text(node))} copies the buffer into a new string only to write it; {_brief(better)} writes the "
            "bytes without that copy",
            fix=fix,
        )


def _declared_type(decl: TypeDecl) -> GoType | None:
    """The type a package type is declared with, as written (`[]byte`, `string`): no names followed and no
    constants folded, which would resolve names (and build a file's census) before its rules are known."""
    return type_from_node(decl.type_node, decl.file.imports)


def _bytes_or_string(t: GoType | None) -> str | None:
    """ "bytes" for []byte, "string" for string, else None."""
    if t is None:
        return None
    if (
        t.kind == "slice"
        and t.elem is not None
        and t.elem.kind == "named"
        and t.elem.qualified in ("byte", "uint8")
    ):
        return "bytes"
    return "string" if t.is_named("string") else None


# ------------------------------------------------------------------------------------------ SER005
def _is_slice_type(ctx: FileContext, tnode: Node | None) -> bool:
    """`[]T`, or a name for a slice type (`type Tags []string`, an alias `type ids = []int64`)."""
    if tnode is None:
        return False
    if tnode.type == "slice_type":
        return True
    if tnode.type not in ("type_identifier", "qualified_type", "generic_type"):
        return False
    u = ctx.underlying(ctx.resolver.type_node(tnode))
    return u is not None and u.kind == "slice"


def _empty_slice(ctx: FileContext, expr: Node | None) -> Node | None:
    """The slice type node of `[]T{}`, `make([]T, 0)` or `[]T(nil)` (also spelled with a named slice type)."""
    expr = unparen(expr)
    if expr is None:
        return None
    if expr.type == "composite_literal":
        tnode = expr.child_by_field_name("type")
        body = expr.child_by_field_name("body")
        if (
            tnode is not None
            and body is not None
            and not [c for c in body.named_children if c.type != "comment"]
            and _is_slice_type(ctx, tnode)
        ):
            return tnode
        return None
    if expr.type == "type_conversion_expression":
        tnode = expr.child_by_field_name("type")
        operand = unparen(expr.child_by_field_name("operand"))
        if operand is not None and operand.type == "nil" and _is_slice_type(ctx, tnode):
            return tnode
        return None
    fn = unparen(expr.child_by_field_name("function")) if expr.type == "call_expression" else None
    if fn is not None and fn.text == b"make":
        args = ctx.args(expr)
        if (
            len(args) == 2
            and args[1].type == "int_literal"
            and args[1].text == b"0"
            and ctx.call_target(expr) == "make"  # the shape first: resolving costs more
            and _is_slice_type(ctx, args[0])
        ):
            return args[0]
    return None


def _calls(expr: Node) -> bool:
    """`expr` calls something (its value is not just a name, field chain or index)."""
    return bool(find_all(expr, ("call_expression",)))


def _is_nil_slice(expr: Node | None) -> bool:
    """`[]T(nil)`: starts nil, so preallocating changes `x == nil` as `var x []T` does."""
    expr = unparen(expr)
    return expr is not None and expr.type == "type_conversion_expression"


def _ranged_length(ctx: FileContext, xs: Node) -> bool:
    """`len(xs)` bounds the number of iterations of `for ... range xs`: a slice, array, pointer to array or
    map (exactly), or a string (at most: one iteration per rune, `len` counts bytes)."""
    t = ctx.type_of(xs)
    if t is not None and t.kind == "untyped":
        return t.name == "string"  # a constant string: len(s) bytes bound its runes
    u = ctx.underlying(t)
    if u is not None and u.kind == "pointer":
        u = ctx.underlying(u.elem)
        return u is not None and u.kind == "array"
    # a string yields at most len(s) runes: len(s) bounds the appends, at worst a few bytes too many
    return u is not None and (u.kind in ("slice", "array", "map") or u.is_named("string"))


def _appending_range(ctx: FileContext, stmt: Node, binding: Binding) -> Node | None:
    """The collection `xs` when `stmt` is a `for ... range xs` whose length bounds its iterations and whose
    every iteration appends exactly one element to `binding`'s slice; None otherwise."""
    if stmt.type != "for_statement":
        return None
    clause = next((c for c in stmt.named_children if c.type == "range_clause"), None)
    xs = unparen(clause.child_by_field_name("right")) if clause is not None else None
    if xs is None or not _ranged_length(ctx, xs) or ctx.appended_once_per_iteration(stmt, binding) is None:
        return None
    return xs


class AppendWithoutPrealloc(Rule):
    """
    ## What it finds
    A slice declared empty (`var out []T`, `out := []T{}`, `out := make([]T, 0)`, `out := []T(nil)`,
    `var out []T = []T{}`, one spec of a grouped `var (...)`, also with a named slice type), whose next
    use is a `for ... range xs` loop over a slice, array, map or string that appends to it exactly once
    per iteration: `out = append(out, e)` directly in the loop body, with no `if`/`switch` around it, no
    `continue` or `break` of the loop, and no other use of `out` in the loop. Reported at the declaration
    (at the spec in a grouped declaration). Over a string, `len(s)` counts bytes: it bounds the runes.
    When the loops right after it append to the same slice once per iteration too, the capacity asked
    for is the sum of their lengths (`len(a)+len(b)`). Over a call (`range f(x)`), the message says to
    keep its result in a variable first, as `len(f(x))` in the `make` would call it twice; over a
    conversion (`range Items(xs)`, `range string(b)`, `range []byte(s)`) the capacity is its operand's
    length (`len(xs)`, `len(b)`, `len(s)`).
    ## Why it matters
    The final length is known before the loop (`len(xs)`), yet append grows the backing array step by
    step: a reallocation whenever the capacity runs out (doubling while small, about 1.25x once large),
    each copying everything so far and leaving the old array to the GC. `make([]T, 0, len(xs))`
    allocates once.
    ## Fix safety
    The fix rewrites the declaration to `make([]T, 0, len(xs))` (or the sum over the loops), only when
    every `xs` is a name or field chain already visible at the declaration (a field chain only when its
    loop directly follows). It is safe for
    `[]T{}` and `make([]T, 0)`, and unsafe for `var out []T` and `[]T(nil)`: when `xs` is empty, `out`
    becomes an empty non-nil slice instead of nil (`out == nil` and JSON `null` change).
    """

    meta = RuleMeta(
        code="SER005",
        kind="cost",
        allocates=True,
        cheap_per_use=True,
        name="append-without-prealloc",
        severity=Severity.INFO,
        summary="slice grown by append once per range iteration without preallocation",
        fix="safe",
        bad="package p\n\nfunc names(users []User) []string {\n\tnames := []string{}\n"
        "\tfor _, u := range users {\n\t\tnames = append(names, u.Name)\n\t}\n\treturn names\n}\n\n"
        "type User struct{ Name string }\n",
        good="package p\n\nfunc names(users []User) []string {\n\tnames := make([]string, 0, len(users))\n"
        "\tfor _, u := range users {\n\t\tnames = append(names, u.Name)\n\t}\n\treturn names\n}\n\n"
        "type User struct{ Name string }\n",
    )

    def visit_var_declaration(self, node: Node, ctx: FileContext) -> None:
        group = next((c for c in node.named_children if c.type == "var_spec_list"), None)
        grouped = group is not None
        specs = [c for c in (group or node).named_children if c.type == "var_spec"]
        for spec in specs:  # `var ( ids []int64; names []string )`: each spec is its own declaration
            self._check_spec(ctx, node, spec, grouped)

    def _check_spec(self, ctx: FileContext, node: Node, spec: Node, grouped: bool) -> None:
        names = spec.children_by_field_name("name")
        tnode = spec.child_by_field_name("type")
        values = expression_list(spec.child_by_field_name("value"))
        if len(names) != 1:
            return
        name = ctx.text(names[0])
        if not values and _is_slice_type(ctx, tnode):
            if grouped:  # the spec becomes `ids = make(...)` inside the group
                self._check(ctx, node, names[0], tnode, spec, f"{name} = ", safe=False, at=spec)
            else:
                self._check(ctx, node, names[0], tnode, node, f"{name} := ", safe=False)
        elif len(values) == 1:
            slice_type = _empty_slice(ctx, values[0])
            if slice_type is None or (tnode is not None and not _is_slice_type(ctx, tnode)):
                return
            safe = not _is_nil_slice(values[0])
            self._check(
                ctx, node, names[0], slice_type, values[0], "", safe=safe, at=spec if grouped else None
            )

    # `x := []T{}` / `x := make([]T, 0)`: found from the empty slice (rare) rather than from every `:=`
    calls = callee_names("make")

    def visit_composite_literal(self, node: Node, ctx: FileContext) -> None:
        self._short_var_of(node, ctx)

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        self._short_var_of(node, ctx)

    def visit_type_conversion_expression(self, node: Node, ctx: FileContext) -> None:
        self._short_var_of(node, ctx)

    def _short_var_of(self, value: Node, ctx: FileContext) -> None:
        slice_type = _empty_slice(ctx, value)
        if slice_type is None:
            return
        holder = paren_root(value).parent
        if holder is not None and holder.type == "expression_list":
            holder = holder.parent
        if holder is None or holder.type != "short_var_declaration":
            return
        _, left, right, _ = ctx.assignment(holder)
        if len(left) != 1 or len(right) != 1 or left[0].type != "identifier" or unparen(right[0]) != value:
            return
        self._check(ctx, holder, left[0], slice_type, right[0], "", safe=not _is_nil_slice(value))

    def _check(
        self,
        ctx: FileContext,
        decl: Node,
        ident: Node,
        slice_type: Node,
        replace: Node,
        prefix: str,
        *,
        safe: bool,
        at: Node | None = None,
    ) -> None:
        """`at`: where the finding goes when not at `decl` (one spec of a grouped `var (...)`)."""
        holder = decl.parent
        if holder is None or holder.type not in ("statement_list", "block"):
            return
        siblings = statements(holder)
        if decl not in siblings:
            return
        i = siblings.index(decl)
        if not any(s.type == "for_statement" for s in siblings[i + 1 :]) or not _declared_here(ctx, ident):
            return  # no loop follows: nothing to resolve
        binding = ctx.resolve(ident)
        if binding is None:
            return
        refs = ctx.references(binding)
        loop = next(
            (s for s in siblings[i + 1 :] if any(s.start_byte <= r.start_byte < s.end_byte for r in refs)),
            None,
        )
        xs = _appending_range(ctx, loop, binding) if loop is not None else None
        if loop is None or xs is None:
            return
        ranged = [(loop, xs), *self._more_loops(ctx, siblings, siblings.index(loop) + 1, binding)]
        over = " and ".join(_brief(ctx.text(x), 40 if len(ranged) > 1 else 60) for _, x in ranged)
        # a conversion (`Items(xs)`, `string(b)`, `[]byte(s)`) has its operand's length (for a string,
        # its bytes bound its runes): measure that, no call to keep
        ranged = [(lp, ctx.conversion_operand(x) or x) for lp, x in ranged]
        lengths = "+".join(f"len({ctx.text(x)})" for _, x in ranged)  # as gofmt spaces it in a call
        make = f"make({ctx.text(slice_type)}, 0, {lengths})"
        fix = None
        if all(self._can_hoist(ctx, x, decl, siblings[i + 1 : siblings.index(lp)]) for lp, x in ranged):
            fix = Fix(f"preallocate with {make}", [Edit.replace(replace, prefix + make)], safe=safe)
        called = next((x for _, x in ranged if _calls(x)), None)
        if called is not None:  # `len(f(x))` in the make would call f a second time
            kept = "+".join("len(variable)" if x == called else f"len({ctx.text(x)})" for _, x in ranged)
            advice = (
                f"keep {_brief(ctx.text(called))} in a variable, range over it, and preallocate with "
                + _brief(f"make({ctx.text(slice_type)}, 0, {kept})", 80)
            )
        else:
            advice = f"preallocate with {_brief(make, 80)}"
        ctx.report(
            at or decl,
            f"{binding.name} starts empty and gets exactly one element per iteration of the "
            f"range{'s' if len(ranged) > 1 else ''} over {over}, so append reallocates and copies it as it "
            f"grows; {advice}",
            fix=fix,
        )

    @staticmethod
    def _more_loops(
        ctx: FileContext, siblings: list[Node], start: int, binding: Binding
    ) -> list[tuple[Node, Node]]:
        """The range loops right after the first that append to the slice once per iteration too: the
        capacity is the sum of their lengths (`len(a) + len(b)`), not the first one's alone."""
        out: list[tuple[Node, Node]] = []
        for s in siblings[start:]:
            xs = _appending_range(ctx, s, binding)
            if xs is None:
                break
            out.append((s, xs))
        return out

    @staticmethod
    def _can_hoist(ctx: FileContext, xs: Node, decl: Node, between: list[Node]) -> bool:
        """`len(xs)` can be evaluated at the declaration with the value the loop will range over."""
        if not _visible_at(ctx, xs, decl):
            return False
        if not between:
            return True
        if xs.type != "identifier":
            return False  # a field chain may be nil-checked or changed by the statements in between
        b = ctx.resolve(xs)
        return b is not None and not any(
            s.start_byte <= r.start_byte < s.end_byte for r in ctx.references(b) for s in between
        )


# ------------------------------------------------------------------------------------------ SER006
class ProtoMarshalInLoop(Rule):
    """
    ## What it finds
    `proto.Marshal(m)` (google.golang.org/protobuf/proto, github.com/golang/protobuf/proto or
    github.com/gogo/protobuf/proto) in hot context: a loop body, an HTTP handler, a looping goroutine or a
    configured hot function. Reported at the call.
    ## Why it matters
    Each call sizes the message and allocates a new []byte for it. In a loop (or per request) that is one
    allocation per message, all garbage soon after. `proto.MarshalOptions{}.MarshalAppend(buf[:0], m)`
    encodes into a buffer you keep and reuse (keep the returned slice: it may have grown).
    """

    meta = RuleMeta(
        code="SER006",
        kind="cost",
        allocates=True,
        name="proto-marshal-in-loop",
        severity=Severity.INFO,
        summary="new buffer per message from proto.Marshal in hot code",
        needs_imports=tuple(t.rpartition(".")[0] for t in _PROTO_MARSHAL),
        hot_only=True,
        bad='package p\n\nimport "google.golang.org/protobuf/proto"\n\n'
        "func send(msgs []proto.Message, out chan<- []byte) error {\n\tfor _, m := range msgs {\n"
        "\t\tb, err := proto.Marshal(m)\n\t\tif err != nil {\n\t\t\treturn err\n\t\t}\n\t\tout <- b\n\t}\n"
        "\treturn nil\n}\n",
        good='package p\n\nimport "google.golang.org/protobuf/proto"\n\n'
        "func send(msgs []proto.Message, w func([]byte)) error {\n\tvar buf []byte\n\tfor _, m := range msgs {\n"
        "\t\tvar err error\n\t\tbuf, err = proto.MarshalOptions{}.MarshalAppend(buf[:0], m)\n"
        "\t\tif err != nil {\n\t\t\treturn err\n\t\t}\n\t\tw(buf)\n\t}\n\treturn nil\n}\n",
    )

    calls = callee_names(*_PROTO_MARSHAL)

    def visit_call_expression(self, node: Node, ctx: FileContext) -> None:
        target = ctx.call_target(node)
        if target not in _PROTO_MARSHAL:
            return
        reason = ctx.hot_reason(node) or "in hot code"
        fn = node.child_by_field_name("function")
        pkg = ctx.text(fn.child_by_field_name("operand")) if fn is not None else "proto"
        if target.startswith("google.golang.org"):
            better = f"{pkg}.MarshalOptions{{}}.MarshalAppend(buf[:0], m) with a buffer kept across calls"
        elif target.startswith("github.com/gogo/"):
            better = f"a {pkg}.Buffer kept across calls (b.Reset(); b.Marshal(m); use b.Bytes())"
        else:
            better = (
                "a reused buffer (MarshalOptions{}.MarshalAppend(buf[:0], m) of google.golang.org/protobuf)"
            )
        ctx.report(
            node,
            f"{pkg}.Marshal {reason} allocates a new buffer for every message; encode into {better}",
        )
