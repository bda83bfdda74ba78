"""Configuration files: `gostatic.toml`, `.gostatic.toml` or `[tool.gostatic]` in `pyproject.toml`,
found upward from each file (the nearest wins) unless `--config` names one. Every problem is reported as
one line naming the file, the line and the key."""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

import attrs

from gostatic.analysis.gomod import parse_version
from gostatic.lint.finding import Severity

CONFIG_NAMES = ("gostatic.toml", ".gostatic.toml", "pyproject.toml")
KEYS = {
    "select",
    "extend-select",
    "ignore",
    "severity",
    "go-version",
    "per-file-ignores",
    "plugins",
    "hot-functions",
    "exclude",
    "include-generated",
    "include-tests",
    "include-cold",
    "profile",
    "min-share",
}


class ConfigError(Exception):
    """A configuration problem, already phrased for the user (file:line: key: problem)."""


@attrs.frozen
class Config:
    path: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    go_version: tuple[int, int] | None = None
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    plugins: tuple[str, ...] = ()
    hot_functions: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    include_generated: bool = False
    include_tests: bool = False  # cost findings in _test.go files outside benchmarks
    include_cold: bool = False  # cost findings in cold code (run-once, error paths: analysis/cold.py)
    # (key, line) of each key in the file, and the keys' table prefix: for errors found later, when the
    # rules are loaded (an unknown selector), to name the file and line as load-time errors do
    lines: tuple[tuple[str, int], ...] = ()
    prefix: str = ""

    def where(self, key: str) -> str:
        """`file:line: key` of a key of this configuration, for an error message."""
        line = dict(self.lines).get(key, 1)
        return f"{self.path}:{line}: {self.prefix}{key}" if self.path is not None else key

    # pprof profiles (paths made absolute from the config file's directory) and the share under which
    # cost findings are hidden when a profile is used; see gostatic/impact
    profile: tuple[str, ...] = ()
    min_share: float | None = None

    @property
    def root(self) -> Path | None:
        return self.path.parent if self.path is not None else None

    @property
    def fingerprint(self) -> str:
        return repr(attrs.astuple(self))


DEFAULT = Config()


def _line_of(raw: str, key: str) -> int:
    # [ \t]*, not \s*: a blank line before the key must not be counted as its line
    pattern = re.compile(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=", re.MULTILINE)
    m = pattern.search(raw)
    if m:
        return raw.count("\n", 0, m.start()) + 1
    m = re.search(rf"^[ \t]*\[[^\]\n]*{re.escape(key)}[^\]\n]*\]", raw, re.MULTILINE)
    return raw.count("\n", 0, m.start()) + 1 if m else 1


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(s.strip() for s in value.split(",") if s.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError(f"{where} must be a list of strings")


def load_file(path: Path) -> Config | None:
    """Parse one config file. None when it is a pyproject.toml without [tool.gostatic]."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from exc
    import tomllib  # here: most runs find no configuration file (tomllib and datetime are ~4 ms)

    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("gostatic")
        if table is None:
            return None
        prefix = "tool.gostatic."
    else:
        table = data
        prefix = ""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}:1: {prefix or 'tool.gostatic'}: must be a table")
    values: dict[str, Any] = {"path": path, "prefix": prefix}
    lines: list[tuple[str, int]] = []
    for key, value in table.items():
        line = _line_of(raw, key)
        lines.append((key, line))
        where = f"{path}:{line}: {prefix}{key}"
        if key not in KEYS:
            known = ", ".join(sorted(KEYS))
            raise ConfigError(f"{where}: unknown key (known keys: {known})")
        try:
            match key:
                case "select" | "extend-select" | "ignore" | "plugins" | "hot-functions" | "exclude":
                    values[key.replace("-", "_")] = _str_list(value, "value")
                case "severity":
                    if not isinstance(value, dict):
                        raise ValueError('must be a table of CODE = "error" | "warning" | "info"')
                    values["severity"] = tuple(
                        (str(k), Severity.parse(str(v))) for k, v in sorted(value.items())
                    )
                case "profile":
                    values["profile"] = tuple(str(path.parent / v) for v in _str_list(value, "value"))
                case "min-share":
                    values["min_share"] = parse_share(value)
                case "include-generated" | "include-tests" | "include-cold":
                    if not isinstance(value, bool):
                        raise ValueError("must be true or false")
                    values[key.replace("-", "_")] = value
                case "go-version":
                    values["go_version"] = parse_version(str(value))
                case "per-file-ignores":
                    if not isinstance(value, dict):
                        raise ValueError('must be a table of "glob" = ["CODE", ...]')
                    values["per_file_ignores"] = tuple(
                        (str(k), _str_list(v, f"per-file-ignores[{k!r}]")) for k, v in value.items()
                    )
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}") from exc
    return Config(**values, lines=tuple(lines))


def parse_share(value: Any) -> float:
    """`"0.5%"` or a fraction (`0.005`) -> 0.005 (`--min-share` and the `min-share` key)."""
    text = str(value).strip()
    try:
        share = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise ValueError(f'invalid share {value!r} (expected a percentage such as "0.5%")') from None
    if not 0 <= share <= 1:
        raise ValueError(f"share {value!r} is outside 0%..100%")
    return share


@cache
def discover(directory: Path) -> Config:
    """The nearest configuration at or above `directory` (DEFAULT when there is none). Memoised per
    directory and asked of the parent in turn, so a tree's directories share their ancestors' answers
    (each directory's own files are looked at once per run)."""
    for name in CONFIG_NAMES:
        candidate = directory / name
        sys.audit("gostatic.probe", candidate)  # looked for: a record of the run depends on it (replay.py)
        if candidate.is_file():
            cfg = load_file(candidate)
            if cfg is not None:
                return cfg
    parent = directory.parent
    return DEFAULT if parent == directory else discover(parent)
