// Package regen is not a generator's package (only whole directory names count): reported. Its twin is
// ../codegen.
package regen

import (
	"fmt"
	"io"
)

func WriteMethods(w io.Writer, names []string) {
	for i, n := range names {
		fmt.Fprintf(w, "func (x *T) %s() int { return %d }\n", n, i*1000) // want: BOX001 BOX001
	}
}
