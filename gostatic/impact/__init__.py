"""Profile-guided ranking: what the code a finding is in costs at run time, by Go pprof profiles.

Modules: `schema` (the pprof message types, a protobuf descriptor built in Python), `pprof` (reading a
profile; `errors`: the one-line `ProfileError`), `symbols` (Go symbol names taken apart), `shares` (flat
and cumulative sums per function and line), `source` (profile functions found in the source: import
paths from go.mod, spans from tree-sitter), `rank` (a finding's shares, the order and the threshold),
`session` (a run's profiles: flag, config or default.pgo; hot functions for the package jobs) and
`command` (`gostatic profile`).

May import: the package root, parse, analysis, lint and run. Report, lsp and cli import this stage; it
never imports them."""
