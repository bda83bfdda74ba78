"""Stage 7, lsp: `gostatic lsp`, gostatic's findings, fixes and rule docs in any LSP editor, beside gopls.

Open buffers, debounced and partial re-analysis, conversions to LSP positions and diagnostics, code
actions and hovers. May import every stage below it; only the CLI imports it."""

from __future__ import annotations


def main() -> int:
    from gostatic.lsp.server import main as run

    return run()
