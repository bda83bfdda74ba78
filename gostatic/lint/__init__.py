"""Stage 3, lint: the rule API and running rules over one file or package.

Findings and fixes as values, rule metadata and the `Rule` base class (re-exported as `gostatic.rule`
for plugins), the context a rule sees, the one-pass dispatcher, the registry that loads built-in and
plugin rules, the engine's own findings, suppression comments, applying fixes, the explain pages, and
partial re-runs for the editor.

May import `parse` and `analysis`; never `run`, `review`, `report` or `lsp`.
"""
