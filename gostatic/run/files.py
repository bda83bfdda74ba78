"""What the result cache and the replay records both need of the files they keep: when a file can be
taken as unchanged without reading it, and how to write one that a concurrent reader never sees half
written. Imports nothing but `os`: a replayed run loads this and little else."""

from __future__ import annotations

import os

# A file changed less than this before it was looked at may change again within the same clock tick and
# keep its identity (git's "racy" case): what was read from it is not remembered by its identity.
RACY_NS = 2_000_000_000


def identity(st: os.stat_result) -> list[int]:
    """What says a file is unchanged without reading it: device, inode, size, modification time."""
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def identity_of(path: str) -> list[int] | None:
    """`identity` of the file at `path`, or None when there is none."""
    try:
        return identity(os.stat(path))
    except OSError:
        return None


def write_atomically(target: str, payload: bytes) -> None:
    """Write through a temporary file of our own renamed into place: a concurrent reader sees the old
    content or the new, never half of it. The directory must exist."""
    fd, tmp = _temporary(os.path.dirname(target))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, target)
    except BaseException:
        try:  # noqa: SIM105 (contextlib is not loaded yet in a replayed run: a try costs nothing)
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _temporary(directory: str) -> tuple[int, str]:
    """A new file next to the target, as `tempfile.mkstemp` makes it (exclusive creation, mode 0600, a
    random name, another name if taken); `tempfile` itself imports shutil and random, which a one-file
    run would pay for on its first write."""
    while True:
        path = os.path.join(directory, f".tmp-{os.urandom(6).hex()}.json")
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), path
        except FileExistsError:
            continue
