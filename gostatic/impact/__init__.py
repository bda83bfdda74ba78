"""Profile-guided ranking: read Go pprof profiles (`pprof`, `schema`), name their functions (`symbols`),
sum their samples per function and line (`shares`), find those functions in the source (`source`) and
rank findings by what their code costs at run time (`rank`); which profiles a run uses (`sources`).

May import: the package root, parse, analysis, lint and run. Report, lsp and cli import this stage; it
never imports them."""
