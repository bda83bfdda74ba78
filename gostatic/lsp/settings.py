"""Editor settings for the server, read from initializationOptions, `workspace/configuration` (section
"gostatic") or `workspace/didChangeConfiguration`. They map onto the command line's options; the
project's own config files still apply underneath, exactly as for `gostatic check`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

SECTION = "gostatic"
DEFAULT_DEBOUNCE_MS = 250


@attrs.frozen
class Settings:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    config_path: Path | None = None
    go_version: tuple[int, int] | None = None
    debounce_ms: int = DEFAULT_DEBOUNCE_MS


_ALIASES = {
    "select": "select",
    "ignore": "ignore",
    "extendSelect": "extend_select",
    "extend-select": "extend_select",
    "extend_select": "extend_select",
    "config": "config_path",
    "configPath": "config_path",
    "goVersion": "go_version",
    "go-version": "go_version",
    "go_version": "go_version",
    "debounceMs": "debounce_ms",
    "debounce": "debounce_ms",
}


def _codes(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    raise ValueError("must be a list of rule codes, families or names")


def parse(raw: Any, problems: list[str] | None = None) -> Settings:
    """Settings from a client's JSON value: either the "gostatic" section itself or an object holding
    it. Bad values are skipped and described in `problems` (the server logs them), never fatal."""
    problems = problems if problems is not None else []
    if not isinstance(raw, dict):
        return Settings()
    if isinstance(raw.get(SECTION), dict):
        raw = raw[SECTION]
    values: dict[str, Any] = {}
    for key, value in raw.items():
        field = _ALIASES.get(key)
        if field is None or value is None:
            continue  # e.g. "path": the executable, used by the editor plugin only
        try:
            if field in ("select", "ignore", "extend_select"):
                values[field] = _codes(value)
            elif field == "config_path":
                values[field] = Path(str(value)).expanduser() if str(value) else None
            elif field == "go_version":
                from gostatic.analysis.gomod import parse_version  # (the analysis: only when asked)

                values[field] = parse_version(str(value)) if str(value) else None
            elif field == "debounce_ms":
                ms = int(value)
                if ms < 0:
                    raise ValueError("must be >= 0")
                values[field] = ms
        except (TypeError, ValueError) as exc:
            problems.append(f"setting {SECTION}.{key}: {exc}")
    return Settings(**values)
