"""POOL: sync.Pool misuse: the rules (`rules`, the entry point) over one model of the package's pools
(`model`).

The rules share one model of how objects move through a pool in a package: a Get is `p.Get()` on a
value of type `sync.Pool`/`*sync.Pool` (a package-level var, a field, a local pointer), possibly through
a type assertion, or a call of a same-package *getter* (a function or method that returns what it got);
a Put is `p.Put(x)` or a call of a same-package *putter* (a function or method that Puts one of its
parameters, or its receiver). The object is the local variable the Get is bound to.
"""
