"""ESC: heap escapes."""
