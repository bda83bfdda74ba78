"""What an installed distribution's `RECORD` says about its files: the hash the installer wrote for each,
which the code fingerprint (run/cache.py) takes instead of reading and hashing the file itself.

Why: a run into a new cache directory read and hashed ~110 of gostatic's own sources and wrote them to
the file-hash table (~3 ms of a one-file run's ~105); the `RECORD` of the `.dist-info` beside them, one
file, holds their hashes already (PEP 376 / the wheel spec: `path,algorithm=digest,size`).

When a recorded hash stands for a file: the `RECORD` lists it (relative to the directory that holds the
`.dist-info`) with the size it has now, and the file's modification and status-change times are both
strictly before the `RECORD`'s modification time. An installer writes the files and then the `RECORD`;
any later write to an installed file (an edit by hand, `cp -p` or `touch -d` included: the status-change
time is set by the kernel and cannot be set back) makes it at least as new as the `RECORD`, and it is
hashed as any other file. A file written in the same clock tick as the `RECORD` is hashed too (it may
have been changed right after the `RECORD` was written: git's "racy" case for its index). On Windows,
where `st_ctime` is the creation time and no write moves it, every file is hashed. Editable
installs and source trees have no `RECORD` naming their sources: every file is hashed, as before.
"""

from __future__ import annotations

import os


def recorded_files(trees: list[str], distributions: set[str]) -> dict[str, tuple[int, str, int]]:
    """For the files of `trees` (package directories, resolved) that a `RECORD` of one of
    `distributions` (normalised names: lowercase, `_` for `-` and `.`) lists: path -> (size, the recorded
    hash, the `RECORD`'s modification time in ns). Distributions are looked for in each tree's parent
    directory (a `site-packages`); a `RECORD` that cannot be read lists nothing."""
    out: dict[str, tuple[int, str, int]] = {}
    for site in dict.fromkeys(os.path.dirname(t) for t in trees):
        try:
            names = os.listdir(site)
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info") and _normalised(name) in distributions:
                _read_record(site, os.path.join(site, name, "RECORD"), out)
    return out


def _normalised(dist_info: str) -> str:
    """`Foo_Bar-1.0.dist-info` -> `foo_bar` (the wheel spec already escapes `-` in the name as `_`)."""
    return normalised_name(dist_info.partition("-")[0])


def normalised_name(name: str) -> str:
    """A distribution or top-level package name as `recorded_files` compares them."""
    return name.lower().replace(".", "_").replace("-", "_")


def _read_record(site: str, record: str, out: dict[str, tuple[int, str, int]]) -> None:
    try:
        with open(record, encoding="utf-8") as fh:
            written = os.fstat(fh.fileno()).st_mtime_ns
            text = fh.read()
    except (OSError, UnicodeDecodeError):
        return
    for line in text.splitlines():
        # `path,hash,size`; a path holding a comma is quoted (then it matches no file: hashed as before,
        # so splitting by hand can only miss the shortcut; importing csv costs ~1 ms of the ~3 it saves)
        parts = line.rsplit(",", 2)
        if len(parts) != 3:
            continue
        path, digest, size = parts
        if not path or "=" not in digest or not size.isdigit() or path.startswith(".."):
            continue
        if os.sep != "/":
            path = path.replace("/", os.sep)
        out[os.path.join(site, path)] = (int(size), digest, written)


def trusted_hash(entry: tuple[int, str, int], st: os.stat_result) -> str | None:
    """The recorded hash of a file whose stat is `st`, when it stands for the file's content now (see the
    module's docstring); None when the file must be hashed."""
    size, digest, written = entry
    if os.name == "nt":
        return None  # there st_ctime is the creation time, which a write does not move: always hash
    if st.st_size != size or st.st_mtime_ns >= written or st.st_ctime_ns >= written:
        return None
    return digest
