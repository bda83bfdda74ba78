"""Stage 4, run: a run from paths to findings.

Discovery of files and packages, configuration files, rule selection per file, one package job
(`package.analyze_package`), the planner and executor (`runner`), the worker pool, the result cache and
its keys, shards, and memory housekeeping between packages.

May import `parse`, `analysis` and `lint`.
"""
