"""Which rules run where: `--select`/`--ignore` and config selectors (codes, code prefixes, names,
families, ALL) resolved against the loaded rules, plus per-file ignores and severity overrides."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from pathlib import Path

from gostatic.lint.finding import Severity
from gostatic.lint.rule import Rule
from gostatic.run.config import Config

_PREFIX = re.compile(r"^[A-Za-z]+\d{0,3}$")


class SelectorError(ValueError):
    pass


def match_selector(token: str, rules: Iterable[type[Rule]]) -> set[str]:
    """Codes a selector names: ALL, a code, a code prefix or family (CTX, CTX00), or a rule name."""
    tok = token.strip()
    if not tok:
        return set()
    out: set[str] = set()
    for r in rules:
        code, name = r.meta.code, r.meta.name
        if (
            tok.upper() == "ALL"
            or tok.lower() == name
            or (_PREFIX.match(tok) and code.upper().startswith(tok.upper()))
        ):
            out.add(code)
    if not out:
        raise SelectorError(
            f"unknown rule selector {token!r} (use a code such as CTX001, a family such as CTX, a name, or ALL)"
        )
    return out


def resolve(tokens: Iterable[str], rules: list[type[Rule]]) -> set[str]:
    out: set[str] = set()
    for tok in tokens:
        out |= match_selector(tok, rules)
    return out


def _configured(tokens: Iterable[str], rules: list[type[Rule]], config: Config, key: str) -> set[str]:
    """`resolve` for a configuration value: an unknown selector names the file, line and key."""
    try:
        return resolve(tokens, rules)
    except SelectorError as exc:
        raise SelectorError(f"{config.where(key)}: {exc}") from None


def _flag(tokens: Iterable[str], rules: list[type[Rule]], flag: str) -> set[str]:
    try:
        return resolve(tokens, rules)
    except SelectorError as exc:
        raise SelectorError(f"{flag}: {exc}") from None


def enabled_codes(
    rules: list[type[Rule]],
    config: Config,
    cli_select: list[str] | None = None,
    cli_ignore: list[str] | None = None,
    cli_extend_select: list[str] | None = None,
) -> frozenset[str]:
    """CLI --select replaces the config's select, which replaces the defaults; ignores add up."""
    if cli_select:
        enabled = _flag(cli_select, rules, "--select")
    elif config.select is not None:
        enabled = _configured(config.select, rules, config, "select")
    else:
        enabled = {r.meta.code for r in rules if r.meta.default_on}
    enabled |= _configured(config.extend_select, rules, config, "extend-select")
    enabled |= _flag(cli_extend_select or (), rules, "--extend-select")
    enabled -= _configured(config.ignore, rules, config, "ignore")
    enabled -= _flag(cli_ignore or (), rules, "--ignore")
    for _, tokens in config.per_file_ignores:  # checked here, not only when a file matches the glob
        _configured(tokens, rules, config, "per-file-ignores")
    return frozenset(enabled)


def severity_overrides(config: Config, rules: list[type[Rule]]) -> dict[str, Severity]:
    out: dict[str, Severity] = {}
    for tok, sev in config.severity:
        for code in _configured([tok], rules, config, "severity"):
            out[code] = sev
    return out


def per_file_ignored(config: Config, path: Path, rules: list[type[Rule]]) -> set[str]:
    if not config.per_file_ignores or config.root is None:
        return set()
    try:
        rel = path.resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        rel = path.as_posix()
    out: set[str] = set()
    for pattern, tokens in config.per_file_ignores:
        if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(path.name, pattern):
            out |= _configured(tokens, rules, config, "per-file-ignores")
    return out
