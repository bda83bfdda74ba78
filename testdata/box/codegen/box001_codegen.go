// Package codegen writes Go files when a developer runs go generate: its costs are paid at build time,
// not by the program it writes (a code generator's package, by name or directory: gen, codegen,
// generate, generator). Its twin in ../regen is reported.
package codegen

import (
	"fmt"
	"io"
)

func WriteMethods(w io.Writer, names []string) {
	for i, n := range names {
		fmt.Fprintf(w, "func (x *T) %s() int { return %d }\n", n, i*1000)
	}
}
