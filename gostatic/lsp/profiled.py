"""Profiles in the editor: the configured `profile = [...]`, else a `default.pgo` of a main package in
the document's module (Go's PGO convention). Functions the profile samples count as hot in the package
job, and a diagnostic in sampled code says its share in its message (`[12% cpu] ...`) and carries the
numbers in its `data`, which the hover shows.

Profiles are loaded once and reloaded when a file changes (by modification time); a profile that does
not load is left out (its one-line error is kept in `errors` for the server's log), never fatal."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import attrs
from lsprotocol import types

from gostatic.analysis import gomod
from gostatic.impact import rank, session
from gostatic.impact.errors import ProfileError
from gostatic.lint.finding import Finding
from gostatic.lint.rule import Rule
from gostatic.lsp.convert import to_diagnostic
from gostatic.parse.clause import declares_main
from gostatic.run import config as configmod
from gostatic.run.package import PackageJob

_SKIP_DIRS = {"vendor", "testdata", "node_modules"}


class ProfileCache:
    """The profiles of the packages analysed. With `defer` (the server), a profile not loaded yet is not
    loaded by the lookup that needs it: the lookup answers None and records it in `deferred`, and the
    caller loads it with `load_deferred` once the result it was computing is out (reading cmd/compile's
    default.pgo takes a third of a second, and the first diagnostics of an open need not wait for it)."""

    def __init__(self, defer: bool = False) -> None:
        self.defer = defer
        self.deferred: dict[tuple, list[str]] = {}  # key -> paths, asked for and not loaded
        self._failed: set[tuple] = set()  # keys (paths and mtimes) that did not load
        self._loaded: dict[tuple, session.Ranking] = {}
        self._pgo: dict[str, list[str]] = {}
        self._hot: tuple[PackageJob, session.Ranking, PackageJob] | None = None  # the last hot()
        self.errors: list[str] = []

    def paths_for(self, directory: Path, config_path: Path | None = None) -> list[str]:
        cfg = (configmod.load_file(config_path) if config_path else None) or configmod.discover(
            Path(os.path.abspath(directory))
        )
        if cfg.profile:
            return list(cfg.profile)
        mod = gomod.gomod_for_dir(Path(os.path.abspath(directory)))
        return self._default_pgo(str(mod.parent)) if mod is not None else []

    def _default_pgo(self, root: str) -> list[str]:
        """The default.pgo files of the module's main packages (one walk per module)."""
        hit = self._pgo.get(root)
        if hit is None:
            hit = []
            for here, dirs, files in os.walk(root):
                dirs[:] = [d for d in dirs if not d.startswith((".", "_")) and d not in _SKIP_DIRS]
                if "default.pgo" in files and any(_is_main(os.path.join(here, f)) for f in files):
                    hit.append(os.path.join(here, "default.pgo"))
            self._pgo[root] = hit
        return hit

    def ranking(self, directory: Path, config_path: Path | None = None) -> session.Ranking | None:
        paths = self.paths_for(directory, config_path)
        if not paths:
            return None
        key = tuple((p, _mtime(p)) for p in paths)
        loaded = self._loaded.get(key)
        if loaded is None and key not in self._failed:
            if self.defer:
                self.deferred[key] = paths
                return None
            loaded = self._load(key, paths)
        return loaded

    def load_deferred(self) -> bool:
        """Load the profiles lookups asked for since the last call; whether there were any."""
        pending, self.deferred = self.deferred, {}
        for key, paths in pending.items():
            if key not in self._loaded and key not in self._failed:
                self._load(key, paths)
        return bool(pending)

    def _load(self, key: tuple, paths: list[str]) -> session.Ranking | None:
        try:
            origin = "default.pgo" if all(p.endswith("default.pgo") for p in paths) else "config"
            loaded = session.load(paths, origin)
        except ProfileError as exc:
            if str(exc) not in self.errors:
                self.errors.append(str(exc))
            self._failed.add(key)  # until a file changes (its mtime is in the key)
            return None
        self._loaded = {key: loaded}  # one set of profiles at a time
        return loaded

    def hot(self, job: PackageJob, config_path: Path | None = None) -> PackageJob:
        """`job` with the functions the profiles sample; the last answer is kept, for the same job and
        profiles (every edit asks again; cmd/compile's default.pgo samples thousands of functions)."""
        r = self.ranking(Path(job.directory), config_path)
        if r is None:
            return job
        last = self._hot
        if last is not None and last[0] is job and last[1] is r:
            return last[2]
        hot = r.hot([job])[0]
        self._hot = (job, r, hot)
        return hot


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def _is_main(path: str) -> bool:
    if not path.endswith(".go") or path.endswith("_test.go"):
        return False
    return declares_main(path)


def to_diagnostics(
    findings: Iterable[Finding],
    data: bytes,
    encoding: str,
    rules: dict[str, type[Rule]],
    ranking: session.Ranking | None,
) -> tuple[types.Diagnostic, ...]:
    """The findings as diagnostics; with a profile, those in sampled code say their share."""
    findings = list(findings)
    if ranking is None:
        return tuple(to_diagnostic(f, data, encoding, rules.get(f.code)) for f in findings)
    notes = rank.annotate(findings, ranking.index, lambda _path: data)
    out = []
    for f in findings:
        note = notes.get(f)
        shown = attrs.evolve(f, message=f"[{note.label}] {f.message}") if note is not None else f
        d = to_diagnostic(shown, data, encoding, rules.get(f.code))
        if note is not None:
            d.data = {"profile": note.to_json()}
        out.append(d)
    return tuple(out)


def hover_text(diagnostic: types.Diagnostic) -> str | None:
    """The hover's profile section for a diagnostic in sampled code."""
    data = diagnostic.data if isinstance(diagnostic.data, dict) else None
    profile = data.get("profile") if data else None
    if not isinstance(profile, dict):
        return None
    lines = [f"**Profile** ({diagnostic.code}): `{profile.get('function', '')}`"]
    for kind in ("cpu", "alloc", "inuse"):
        k = profile.get(kind)
        if not isinstance(k, dict):
            continue
        line = (
            f"- {kind}: {rank.format_share(k['line_share'])} at this line, function "
            f"{rank.format_share(k['flat_share'])} flat / {rank.format_share(k['cum_share'])} cumulative"
        )
        if kind != "cpu":
            line += f"; {k['line_bytes']} bytes in {k['line_objects']} objects at this line"
        lines.append(line)
    return "\n".join(lines)
