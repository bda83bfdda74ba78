"""Stage 6, report: output formats. Each reporter turns sorted findings into one format (text, JSON,
SARIF, GitHub annotations, rdjson, checkstyle); none of them knows about rules beyond the metadata the
findings and the registry carry.

May import `parse`, `lint`, `run` and `review` (SARIF's fingerprints); never `lsp` or the CLI.
"""
