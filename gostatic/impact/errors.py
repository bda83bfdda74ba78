"""The one error this stage raises, apart so that the command line can catch it without loading
protobuf (a run without a profile never imports it)."""


class ProfileError(Exception):
    """A file that cannot be read as a pprof profile; the message is one line naming the file."""
