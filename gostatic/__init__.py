"""gostatic: find the Go code patterns that allocate, retain and leak memory behind the GC's back."""

__version__ = "0.1.0"
