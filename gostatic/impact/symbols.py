"""Go symbol names as profiles print them, taken apart: `encoding/json.(*encodeState).marshal`,
`main.T.Method`, `pkg.Func.func1.2` (closures, numbered per enclosing function), `pkg.Func[...]` and
`slices.Grow[go.shape.[]uint8,...]` (generic instantiations), `gopkg.in/yaml%2ev3.Unmarshal` (a dot in
the last path element is escaped by the linker)."""

from __future__ import annotations

import re
from typing import NamedTuple

_CLOSURE = re.compile(r"^(?:func|gowrap|deferwrap)?\d+$")


class Symbol(NamedTuple):
    """A tuple, not an attrs class: a profile has thousands of functions, and building them was a
    measurable part of loading one."""

    package: str  # import path ("main" for a main package); "" when the name has none
    function: str  # as gostatic names a declaration: "Func" or "T.Method" (receiver without "*")
    closure: tuple[str, ...] = ()  # ("func1", "2") for Func.func1.2: the literal inside `function`

    @property
    def is_closure(self) -> bool:
        return bool(self.closure)


def strip_type_args(name: str) -> str:
    """Remove every bracketed type-argument list (brackets nest: `[go.shape.[]uint8]`)."""
    if "[" not in name:
        return name
    out: list[str] = []
    depth = 0
    for ch in name:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def package_of(name: str) -> str:
    """`parse(name).package`, without the rest: what indexing a profile's functions by package needs
    (thousands of names, most without type arguments or an escaped dot: those in one step)."""
    if "[" in name or "%2" in name:
        split = _split(strip_type_args(name))
        return split[0] if split is not None else ""
    dot = name.find(".", name.rfind("/") + 1)
    return name[:dot] if dot >= 0 else ""


def _split(name: str) -> tuple[str, str] | None:
    """(package path, what follows its dot) of a profile function name without type arguments, or None
    when it has no package (a C function)."""
    dot = name.find(".", name.rfind("/") + 1)
    if dot < 0:
        return None
    package = name[:dot]
    return (package.replace("%2e", ".").replace("%2E", ".") if "%2" in package else package), name[dot + 1 :]


def parse(name: str) -> Symbol:
    """Split a profile function name into package path, declared function and closure path."""
    name = strip_type_args(name)
    split = _split(name)
    if split is None:
        return Symbol("", name)
    package, rest = split
    if rest.startswith("("):  # (*T).Method or (T).Method
        close = rest.find(")")
        receiver = rest[1:close].lstrip("*")
        parts = rest[close + 2 :].split(".") if close >= 0 else [rest]
        method, closure = (parts[0], parts[1:]) if parts and parts[0] else ("", parts[1:])
        return Symbol(package, f"{receiver}.{method}" if method else receiver, tuple(closure))
    parts = rest.split(".")
    if len(parts) > 1 and parts[1] and not _CLOSURE.match(parts[1]):
        return Symbol(package, f"{parts[0]}.{parts[1]}", tuple(parts[2:]))  # T.Method (value receiver)
    return Symbol(package, parts[0], tuple(p for p in parts[1:] if p))
