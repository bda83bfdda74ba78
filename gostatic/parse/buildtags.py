"""Build constraints: which files of a directory the go tool compiles for one configuration.

A package often holds twins, `listen_unix.go` and `listen_windows.go` (or `//go:build linux` and
`//go:build !linux`), declaring the same names differently. Analysed together they make names ambiguous
and give a finding in one twin and not in the other; the go tool compiles only one. gostatic evaluates the
constraints as `go build` does for one configuration: GOOS/GOARCH from the environment (linux/amd64 when
unset), `--tags`, the `unix` tag, the release tags `go1.N` (every release: the newest toolchain), `gc`, and
`cgo` unless CGO_ENABLED=0, and `goexperiment.*` for the toolchain's default experiments and GOEXPERIMENT.
A constraint it cannot parse keeps the file (unknown: analysed as before).
"""

from __future__ import annotations

import os
import re

import attrs

KNOWN_OS = frozenset(
    {
        "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl",
        "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos",
    }
)  # fmt: skip
KNOWN_ARCH = frozenset(
    {
        "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips", "mipsle", "mips64",
        "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv", "riscv64", "s390",
        "s390x", "sparc", "sparc64", "wasm",
    }
)  # fmt: skip
UNIX_OS = frozenset(
    {
        "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "linux", "netbsd",
        "openbsd", "solaris",
    }
)  # fmt: skip


def experiments(goos: str, goarch: str, goexperiment: str = "") -> tuple[str, ...]:
    """The `goexperiment.*` tags that are set: the newest toolchain's default experiments (Go 1.27's
    baseline in `internal/buildcfg/exp.go`: `encoding/json` is built from its `v2_*.go` files, and the
    runtime with the Green Tea collector), changed by a GOEXPERIMENT list as the go tool reads it
    (`name` on, `noname` off, `none` all off)."""
    on = {"randomizedheapbase64", "greenteagc", "jsonv2", "sizespecializedmalloc"}
    if goarch in ("amd64", "arm64", "loong64", "ppc64le", "ppc64", "riscv64", "s390x"):
        on |= {"regabiwrappers", "regabiargs"}
    if goos not in ("darwin", "ios", "aix"):
        on.add("dwarf5")
    for item in (i.strip().lower() for i in goexperiment.split(",")):
        if item == "none":
            on.clear()
        elif item.startswith("no"):
            on.discard(item[2:])
        elif item:
            on.add(item)
    return tuple(sorted(on))  # sorted: the build configuration's repr is part of the cache key


@attrs.frozen
class BuildConfig:
    """One build configuration: the target, the extra tags (`--tags`) and the experiments."""

    goos: str = "linux"
    goarch: str = "amd64"
    tags: tuple[str, ...] = ()
    cgo: bool = True
    experiments: tuple[str, ...] = attrs.field(
        default=attrs.Factory(lambda self: experiments(self.goos, self.goarch), takes_self=True)
    )

    @staticmethod
    def from_environment(tags: tuple[str, ...] = ()) -> BuildConfig:
        """GOOS, GOARCH, CGO_ENABLED and GOEXPERIMENT as the go tool reads them, linux/amd64 by default."""
        goos = os.environ.get("GOOS") or "linux"
        goarch = os.environ.get("GOARCH") or "amd64"
        return BuildConfig(
            goos=goos,
            goarch=goarch,
            tags=tuple(tags),
            cgo=os.environ.get("CGO_ENABLED", "1") != "0",
            experiments=experiments(goos, goarch, os.environ.get("GOEXPERIMENT", "")),
        )

    def has(self, tag: str) -> bool:
        if tag in (self.goos, self.goarch, "gc") or tag in self.tags:
            return True
        if tag.startswith("goexperiment."):
            return tag[len("goexperiment.") :] in self.experiments
        if tag == "unix":
            return self.goos in UNIX_OS
        if tag == "cgo":
            return self.cgo
        if self.goos == "android" and tag == "linux":
            return True  # android implies linux, as ios implies darwin and illumos solaris
        if self.goos == "ios" and tag == "darwin":
            return True
        if self.goos == "illumos" and tag == "solaris":
            return True
        return re.fullmatch(r"go1\.\d+", tag) is not None


def name_matches(name: str, config: BuildConfig) -> bool:
    """The file-name rule: `*_GOOS`, `*_GOARCH`, `*_GOOS_GOARCH` (before `_test` and the extension)."""
    stem = name[:-3] if name.endswith(".go") else name
    if stem.endswith("_test"):
        stem = stem[: -len("_test")]
    parts = stem.split("_")
    if len(parts) < 2:
        return True
    last = parts[-1]
    if len(parts) >= 3 and parts[-2] in KNOWN_OS and last in KNOWN_ARCH:
        return config.has(parts[-2]) and config.has(last)
    if last in KNOWN_OS or last in KNOWN_ARCH:
        return config.has(last)
    return True


_GO_BUILD = re.compile(rb"^//go:build[ \t]+(.*?)[ \t]*\r?$", re.MULTILINE)
_PLUS_BUILD = re.compile(rb"^//[ \t]*\+build[ \t]+(.*?)[ \t]*\r?$", re.MULTILINE)
_PACKAGE = re.compile(rb"^package[ \t]", re.MULTILINE)
_TOKEN = re.compile(r"\s*(\(|\)|!|&&|\|\||[\w.]+)")


def header(source: bytes) -> bytes:
    """The part of a file where constraints may appear: before the package clause."""
    m = _PACKAGE.search(source)
    return source[: m.start()] if m else source[:4096]


def constraint_matches(source: bytes, config: BuildConfig) -> bool:
    """The `//go:build` line (else the legacy `// +build` lines) holds for `config`; no constraint, or
    one that does not parse, holds."""
    head = header(source)
    m = _GO_BUILD.search(head)
    if m is not None:
        result = _evaluate(m.group(1).decode("utf-8", "replace"), config)
        return True if result is None else result
    lines = _PLUS_BUILD.findall(head)
    for line in lines:  # each line must hold; a line holds when one of its space-separated options does
        options = line.decode("utf-8", "replace").split()
        if not any(all(_term(t, config) for t in opt.split(",")) for opt in options):
            return False
    return True


def matches(name: str, source: bytes, config: BuildConfig) -> bool:
    """Whether the go tool compiles this file for `config`."""
    return name_matches(name, config) and constraint_matches(source, config)


def _term(term: str, config: BuildConfig) -> bool:
    return not config.has(term[1:]) if term.startswith("!") else config.has(term)


def _evaluate(expr: str, config: BuildConfig) -> bool | None:
    """A `//go:build` expression (`||`, `&&`, `!`, parentheses, tags); None when it does not parse."""
    tokens: list[str] = []
    pos = 0
    expr = expr.split("//")[0].strip()
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if m is None:
            return None
        tokens.append(m.group(1))
        pos = m.end()
        while pos < len(expr) and expr[pos].isspace():
            pos += 1
    parser = _Parser(tokens, config)
    try:
        value = parser.or_expr()
    except ValueError:
        return None
    return value if parser.i == len(tokens) else None


class _Parser:
    """Recursive descent over the tokens of one `//go:build` expression."""

    def __init__(self, tokens: list[str], config: BuildConfig) -> None:
        self.tokens = tokens
        self.config = config
        self.i = 0

    def _peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def or_expr(self) -> bool:
        value = self.and_expr()
        while self._peek() == "||":
            self.i += 1
            right = self.and_expr()
            value = value or right
        return value

    def and_expr(self) -> bool:
        value = self.unary()
        while self._peek() == "&&":
            self.i += 1
            right = self.unary()
            value = value and right
        return value

    def unary(self) -> bool:
        tok = self._peek()
        if tok is None:
            raise ValueError("unexpected end")
        self.i += 1
        if tok == "!":
            return not self.unary()
        if tok == "(":
            value = self.or_expr()
            if self._peek() != ")":
                raise ValueError("missing )")
            self.i += 1
            return value
        if tok in (")", "&&", "||"):
            raise ValueError(f"unexpected {tok}")
        return self.config.has(tok)
