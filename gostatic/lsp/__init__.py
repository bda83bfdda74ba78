"""`gostatic lsp`: gostatic's findings, fixes and rule docs in any LSP editor, beside gopls."""

from __future__ import annotations


def main() -> int:
    from gostatic.lsp.server import main as run

    return run()
