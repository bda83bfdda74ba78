"""Stage 1, parse: Go source bytes to tree-sitter trees, the census of a file's nodes by kind (one C query
per file), and byte offsets to lines and columns.

Imports nothing else of gostatic: every other stage builds on it."""
