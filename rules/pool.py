"""POOL: sync.Pool misuse."""
