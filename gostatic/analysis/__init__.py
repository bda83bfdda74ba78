"""Stage 2, analysis: the questions rules ask about the code, answered once for all of them.

The package index (a package's declarations, imports and go.mod version), scopes and type guesses, Go
types, constant folding, amd64 sizes and layouts, control and data flow (hot context, paths, "used
after"), long-lived containers, interface-conversion shapes, the standard library's well-known types, and
which expressions are `io.Writer`s.

May import `parse` only. Within it the modules are layered index < scopes < sizes < consts; the two
places where a lower one needs a higher one (array lengths in declarations need constant folding) are
bound here, once, when the package is imported.
"""

from gostatic.analysis import consts, index, scopes

index.bind_array_lengths(lambda idx, file: scopes.resolver_for(idx, file).array_length)
scopes.bind_constant_folder(consts.const_value)
