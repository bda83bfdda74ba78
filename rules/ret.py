"""RET: unbounded growth and retained references."""
