"""The cost model and cold code (`analysis/cost.py`, `analysis/cold.py`), asked directly about the marked
expression of small files: each cold reason, each free conversion, and the hot twins that stay hot."""

from __future__ import annotations

from pathlib import Path

import pytest

from gostatic.analysis import cost
from gostatic.analysis.index import FileImports, PackageIndex, SourceFile
from gostatic.lint.context import FileContext
from gostatic.parse.syntax import parse, walk

HEADER = b'package main\n\nimport (\n\t"errors"\n\t"fmt"\n\t"log"\n\t"net/http"\n\t"os"\n\t"sync"\n)\n\n'
FOOT = b"\nvar _ = errors.New\nvar _ = fmt.Sprint\nvar _ = log.Print\nvar _ = os.Exit\nvar _ sync.Once\nvar _ = http.Error\n"


def context_for(src: bytes) -> FileContext:
    """A context of one file of package main (so that `main` is the program's)."""
    tree = parse(src)
    sf = SourceFile(
        Path("m.go"), "m.go", src, tree, "main", False, FileImports.from_tree(tree.root_node), (1, 27)
    )
    return FileContext(sf, PackageIndex.build("main", Path("."), [sf]))


def marked(body: bytes):  # type: ignore[no-untyped-def]
    """The context of HEADER + body, and the identifier `MARK` in it."""
    ctx = context_for(HEADER + body + FOOT)
    node = next(n for n in walk(ctx.file.tree.root_node) if n.type == "identifier" and n.text == b"MARK")
    return ctx, node


COLD = [
    (
        b'func f(xs []int) { for range xs { log.Print(MARK) }; panic("inconsistent") }\nvar MARK int\n',
        "panic",
    ),
    (
        b'type F struct{}\nfunc (f *F) Fatalf(string, ...any) { log.Fatalf("x") }\n'
        b'func g(f *F, xs []int) { for range xs { log.Print(MARK) }; f.Fatalf("x") }\nvar MARK int\n',
        "panic or a fatal error",
    ),
    (b"func init() { for { log.Print(MARK) } }\nvar MARK int\n", "in init"),
    (b"func main() { for { log.Print(MARK) } }\nvar MARK int\n", "in main"),
    (b"var table = func() int { for { return MARK } }()\nvar MARK int\n", "package variable initialiser"),
    (b"func RegisterCodec(xs []int) { for { log.Print(MARK) } }\nvar MARK int\n", "start-up"),
    (b"type T int\nfunc (t T) String() string { return fmt.Sprint(MARK) }\nvar MARK int\n", "String method"),
    (b"type E int\nfunc (e *E) Error() string { return fmt.Sprint(MARK) }\nvar MARK int\n", "Error method"),
    (
        b'func f(xs []int) error { for _, x := range xs { if x < 0 { log.Print(MARK); return errors.New("neg") } }\n'
        b"return nil }\nvar MARK int\n",
        "error path",
    ),
    (
        b"func f(xs []int) { for { if len(xs) == 0 { log.Print(MARK); os.Exit(1) } } }\nvar MARK int\n",
        "error path",
    ),
    (b'func f(x int) error { return fmt.Errorf("x %d", MARK) }\nvar MARK int\n', "error"),
    (b"func f() { for { panic(fmt.Sprint(MARK)) } }\nvar MARK int\n", "error path"),
    (
        b"func f(xs []int) { for range xs { g(fmt.Sprint(MARK), 1); panic(1) } }\nfunc g(string, int) {}\n"
        b"var MARK int\n",
        "error path",
    ),
    (
        b"func f(xs []int) { for range xs { log.Fatal(fmt.Sprint(MARK)); g() } }\nfunc g() {}\nvar MARK int\n",
        "ends the program",
    ),
    (
        b"var m map[string]int\nfunc f(k string) int { if m == nil { m = map[string]int{}; m[k] = MARK }\n"
        b"return m[k] }\nvar MARK int\n",
        "lazy initialisation",
    ),
    (
        b"var once sync.Once\nfunc f() { once.Do(func() { for { log.Print(MARK) } }) }\nvar MARK int\n",
        "sync.Once",
    ),
    (b"func f() { for i := 0; i < 4; i++ { log.Print(MARK) } }\nvar MARK int\n", "few iterations"),
    (b"const n = 3\nfunc f() { for range n { log.Print(MARK) } }\nvar MARK int\n", "few iterations"),
    (b"var a [8]int\nfunc f() { for i := range a { log.Print(MARK, i) } }\nvar MARK int\n", "few iterations"),
    (b"func f() { for i := 1; i <= 100; i *= 10 { log.Print(MARK, i) } }\nvar MARK int\n", "few iterations"),
    (b"func f() { for i := 8; i > 0; i -= 2 { log.Print(MARK, i) } }\nvar MARK int\n", "few iterations"),
    (b"func f(xs []int) { for range xs { log.Print(MARK); break } }\nvar MARK int\n", "leaves the loop"),
    (
        b"var debug bool\nfunc f(xs []int) { for range xs { if debug { log.Print(MARK) } } }\nvar MARK int\n",
        "debug",
    ),
    (
        b"func h(w http.ResponseWriter, r *http.Request) { if r == nil { log.Print(MARK)\n"
        b'http.Error(w, "x", 400)\nreturn }\n}\nvar MARK int\n',
        "error path",
    ),
    (b"type Cmd struct{}\nfunc newServeCmd() *Cmd { for { log.Print(MARK) } }\nvar MARK int\n", None),
    (
        b"func f(xs []string) { for _, x := range xs { if err := g(x); err != nil { log.Print(MARK, err); continue } } }\n"
        b"func g(string) error { return nil }\nvar MARK int\n",
        "if err != nil",
    ),
    (
        b"var state *int\nfunc get() *int { if state != nil { return state }\nstate = new(int)\nlog.Print(MARK)\n"
        b"return state }\nvar MARK int\n",
        "guard",
    ),
    (
        b'func f(v any, m map[string]any) { if len(m) == 0 { m = map[string]any{"k": MARK} } }\nvar MARK int\n',
        "lazy",
    ),
    (
        b"type T []int\nfunc (t T) String() string { return render(t) }\n"
        b'func render(t T) string { s := ""; for range t { s += fmt.Sprint(MARK) }; return s }\nvar MARK int\n',
        "called only from cold code",
    ),
    (
        b"type T []int\nfunc (t T) String() string { return render(t) }\nfunc Hot(t T) string { return render(t) }\n"
        b'func render(t T) string { s := ""; for range t { s += fmt.Sprint(MARK) }; return s }\nvar MARK int\n',
        None,
    ),
    (
        b"type C struct{}\nfunc newServeCommand() *cli.Command { for { log.Print(MARK) } }\nvar MARK int\n",
        "command",
    ),
    (
        b"type S struct{ loggingLevel int }\nfunc (s *S) f() { for { if s.loggingLevel > 1 { log.Print(MARK) } } }\n"
        b"var MARK int\n",
        "debug",
    ),
    (
        b"var verbflag *int\nfunc f() { for { if *verbflag >= 4 { log.Print(MARK) } } }\nvar MARK int\n",
        "debug",
    ),
    (
        b"var verbose bool\nfunc f(err error) { for { if verbose || err != nil { log.Print(MARK) } } }\n"
        b"var MARK int\n",
        "debug",
    ),
    (
        b"func wrap(next http.Handler, xs []int) http.Handler { for range xs { log.Print(MARK) }\nreturn next }\n"
        b"var MARK int\n",
        "HTTP handler",
    ),
    (
        b"type E struct{}\nfunc (E) Debug() *E { return nil }\nfunc (E) MsgFunc(func() string) {}\n"
        b'func f(e E, xs []int) { e.Debug().MsgFunc(func() string { for range xs { log.Print(MARK) }; return "" }) }\n'
        b"var MARK int\n",
        "debug log",
    ),
    (
        b"func run(xs []int) { go func() { for range xs { log.Print(MARK) } }() }\nfunc init() { run(nil) }\n"
        b"var MARK int\n",
        None,
    ),
]

HOT = [
    b"func f(xs []int) { for range xs { log.Print(MARK) } }\nvar MARK int\n",
    # set up before a Fatal or a panic, but run later and again: a handler, a goroutine, a channel's loop
    b'func serve() { http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { log.Print(MARK) })\n'
    b'log.Fatal(http.ListenAndServe(":8080", nil)) }\nvar MARK int\n',
    b"func run(ch chan int) { go func() { for range ch { log.Print(MARK) } }(); log.Fatal(nil) }\nvar MARK int\n",
    b'func pump(ch chan []int) { for range ch { log.Print(MARK) }; panic("closed") }\nvar MARK int\n',
    b'func spin() { for { log.Print(MARK) }; log.Fatalf("ended") }\nvar MARK int\n',
    # a Fatal of the package's own type that only records and returns does not end anything
    b"type L struct{ n int }\nfunc (l *L) Fatal(...any) { l.n++ }\n"
    b'func f(l *L, xs []int) { for range xs { log.Print(MARK) }; l.Fatal("x") }\nvar MARK int\n',
    # a short literal that other code may grow: its address is taken, or a receive replaces it
    b"func f(fill func(*[]int)) { xs := []int{1, 2}; fill(&xs); for range xs { log.Print(MARK) } }\nvar MARK int\n",
    b"func f(more chan []int) { xs := []int{1, 2}; select { case xs = <-more: default: }\n"
    b"for range xs { log.Print(MARK) } }\nvar MARK int\n",
    b"func f(xs []int) error { for range xs { log.Print(MARK); if len(xs) > 3 { return nil } } ; return nil }\n"
    b"var MARK int\n",
    b"func f(xs []int) { for i := 0; i < len(xs); i++ { log.Print(MARK) } }\nvar MARK int\n",
    b"var a [9]int\nfunc f() { for i := range a { log.Print(MARK, i) } }\nvar MARK int\n",
    b"func f() { for i := 0; i < 4; i++ { i--; log.Print(MARK) } }\nvar MARK int\n",
    b"func f() { for i := 0; i < 4; i *= 2 { log.Print(MARK) } }\nvar MARK int\n",
    b"func f() { for i := 0; j < 4; i++ { log.Print(MARK) } }\nvar MARK, j int\n",
    b"func f() { for i := int8(120); i <= 127; i++ { log.Print(MARK) } }\nvar MARK int\n",
    b"func f(xs []int) { for range xs { if len(xs) > 2 { log.Print(MARK); continue } } }\nvar MARK int\n",
    b"func f(xs []int) error { for range xs { if len(xs) > 2 { log.Print(MARK) } }; return nil }\n"
    b"var MARK int\n",
    b"var m map[string]int\nfunc f(k string) { if m != nil { m[k] = MARK } }\nvar MARK int\n",
    b"func f(x int) error { return check(fmt.Sprint(MARK)) }\nfunc check(string) error { return nil }\n"
    b"var MARK int\n",
    b"type T int\nfunc (t T) Render(xs []int) string { return fmt.Sprint(MARK) }\nvar MARK int\n",
    b"var state *int\nfunc get() *int { if state == nil { log.Print(MARK) }\nreturn state }\nvar MARK int\n",
    b"type S struct{ level int }\nfunc (s *S) f() { for { if s.level > 1 { log.Print(MARK) } } }\nvar MARK int\n",
    b"var debug bool\nfunc f(xs []int) { for range xs { if !debug { log.Print(MARK) } } }\nvar MARK int\n",
    b"var debug bool\nfunc f(xs []int) { for range xs { if debug || len(xs) > 2 { log.Print(MARK) } } }\n"
    b"var MARK int\n",
    b"func pick(r *http.Request, xs []int) http.Handler { for range xs { log.Print(MARK) }\nreturn nil }\n"
    b"var MARK int\n",
    b"func wrap(next http.Handler, xs []int) http.Handler { return http.HandlerFunc(func(w http.ResponseWriter,\n"
    b"r *http.Request) { for range xs { log.Print(MARK) } }) }\nvar MARK int\n",
]


def test_generator_programs_are_cold() -> None:
    ctx, node = marked(b"func f(xs []int) { for range xs { log.Print(MARK) } }\nvar MARK int\n")
    assert ctx.cold_reason(node) is None
    src = (
        b"//go:build ignore\n\n"
        + HEADER
        + b"func f(xs []int) { for range xs { log.Print(MARK) } }\nvar MARK int\n"
        + FOOT
    )
    gen = context_for(src)
    node = next(n for n in walk(gen.file.tree.root_node) if n.type == "identifier" and n.text == b"MARK")
    assert "generator" in (gen.cold_reason(node) or "")


def test_a_hot_function_keeps_its_cold_paths() -> None:
    """A function a profile samples (or the configuration names) is not cold for its own sake, but its
    error paths still are: the samples are the other paths'."""
    string_method = b"type T int\nfunc (t T) String() string { return fmt.Sprint(MARK) }\nvar MARK int\n"
    ctx, node = marked(string_method)
    assert ctx.cold_reason(node) is not None
    assert ctx.cold_reason(node, hot_function=True) is None
    error_path = (
        b'func f(xs []int) error { for _, x := range xs { if x < 0 { log.Print(MARK); return errors.New("n") } }\n'
        b"return nil }\nvar MARK int\n"
    )
    ctx, node = marked(error_path)
    assert "error path" in (ctx.cold_reason(node, hot_function=True) or "")
    configured = FileContext(ctx.file, ctx.index, ("f",))
    assert configured.not_worth(node) == "cold"
    ctx, node = marked(string_method)
    assert FileContext(ctx.file, ctx.index, ("T.String",)).not_worth(node) is None


@pytest.mark.parametrize(("body", "reason"), COLD)
def test_cold_places(body: bytes, reason: str | None) -> None:
    ctx, node = marked(body)
    got = ctx.cold_reason(node)
    if reason is None:
        assert got is None, got
    else:
        assert got is not None and reason in got, got


@pytest.mark.parametrize("body", HOT)
def test_hot_twins_are_not_cold(body: bytes) -> None:
    ctx, node = marked(body)
    assert ctx.cold_reason(node) is None


FREE = [
    b"func f() { for i := 0; i < 256; i++ { log.Print(MARK(i)) } }\nfunc MARK(int) int { return 0 }\n",
]


def value(body: bytes, name: bytes):  # type: ignore[no-untyped-def]
    ctx = context_for(HEADER + body + FOOT)
    node = [n for n in walk(ctx.file.tree.root_node) if n.type == "identifier" and n.text == name][-1]
    while node.parent is not None and node.parent.type not in ("argument_list",):
        node = node.parent
    return ctx, node


@pytest.mark.parametrize(
    ("body", "name", "bytes_"),
    [
        (b"func f() { for i := 0; i < 256; i++ { log.Print(i) } }\n", b"i", 0),
        (b"func f() { for i := 0; i < 257; i++ { log.Print(i) } }\n", b"i", 8),
        (b"func f() { for i := 0; i <= 255; i++ { log.Print(i) } }\n", b"i", 0),
        (b"func f() { for i := range 200 { log.Print(i) } }\n", b"i", 0),
        (b"func f() { for i := 0; i < 10; i++ { i += 300; log.Print(i) } }\n", b"i", 8),
        (b"var a [256]int\nfunc f() { for i := range a { log.Print(i) } }\n", b"i", 0),
        (b"var a [257]int\nfunc f() { for i := range a { log.Print(i) } }\n", b"i", 8),
        (b"func f(p *[256]int) { for i := range p { log.Print(i) } }\n", b"i", 0),
        (b"func f(p *[300]int) { for i := range p { log.Print(i) } }\n", b"i", 8),
        (b"var a [20]int\nfunc f() { for i := 0; i < len(a); i++ { log.Print(i) } }\n", b"i", 0),
        (b"var a [20]int\nfunc f() { for i := range a { if i > 3 { i = 300 }; log.Print(i) } }\n", b"i", 8),
        (b"var a [20]int\nfunc f() { for i := range a { p := &i; *p = 300; log.Print(i) } }\n", b"i", 8),
        (b"func f() { for i := range 255 { log.Print(i + 1) } }\n", b"i", 0),
        (b"func f() { for i := range 256 { log.Print(i + 1) } }\n", b"i", 8),
        (b"func f() { for i := range 200 { log.Print(50 + i) } }\n", b"i", 0),
        (b"func f() { for i := 1; i < 200; i++ { log.Print(i - 1) } }\n", b"i", 0),
        (b"func f() { for i := range 200 { log.Print(i - 1) } }\n", b"i", 8),
        (b"func f() { for i := uint(1); i < 200; i++ { log.Print(i - 1) } }\n", b"i", 0),
        (b"func f() { for i := uint(0); i < 200; i++ { log.Print(i - 1) } }\n", b"i", 8),
        (b"func f() { for i := 255; i >= 0; i-- { log.Print(i) } }\n", b"i", 0),
        (b"func f() { for i := 1; i <= 128; i *= 2 { log.Print(i) } }\n", b"i", 0),
        (b"func f() { for i := 1; i <= 256; i <<= 1 { log.Print(i) } }\n", b"i", 8),
        (b"func f() { for i := int16(0); i <= 32767; i++ { log.Print(i) } }\n", b"i", 2),
        (b"func f(x int) { log.Print(x & 0xff) }\n", b"x", 0),
        (b"func f(x int) { log.Print(x & 0x1ff) }\n", b"x", 8),
        (b"func f(x uint) { log.Print(x % 200) }\n", b"x", 0),
        (b"func f(x int) { log.Print(x % 200) }\n", b"x", 8),
        (b"func f(b []byte) { log.Print(int(b[0])) }\n", b"b", 0),
        (b"func f(s string) { log.Print(s) }\n", b"s", 16),
        (b'func f() { s := ""\nlog.Print(s) }\n', b"s", 0),
        (b'func f() { s := ""\ns += "x"\nlog.Print(s) }\n', b"s", 16),
        (b"func f() { var b []byte\nlog.Print(b) }\n", b"b", 0),
        (b"func f(b []byte) { log.Print(b) }\n", b"b", 24),
        (b"type pt struct{ x, y, z int }\nfunc f(p pt) { log.Print(p) }\n", b"p", 24),
        (b"func f(p *int) { log.Print(p) }\n", b"p", 0),
        (b"type dur int64\nfunc f(d dur) { log.Print(dur(1000)) }\n", b"dur", 0),
        (b"type dur int64\nfunc f(d dur) { log.Print(dur(d)) }\n", b"d", 8),
    ],
)
def test_boxing_bytes(body: bytes, name: bytes, bytes_: int) -> None:
    """What a conversion to an interface copies to the heap; 0 where the runtime has the value already
    (`staticuint64s` for integers in [0, 256), `zeroVal` for "" and nil slices: runtime/iface.go)."""
    ctx, node = value(body, name)
    assert cost.boxing_bytes(node, ctx.type_of(node), ctx.resolver) == bytes_
