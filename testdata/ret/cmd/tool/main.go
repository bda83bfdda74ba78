// A command that runs to completion: it reads its arguments, prints, and exits. Nothing in its tree
// listens, serves, waits for a signal or ticks, so what it keeps for its one run is freed when it exits.
package main

import (
	"fmt"
	"os"

	"gostatic.test/testdata/ret/cmd/tool/internal/symtab"
	"gostatic.test/testdata/ret/cmd/tool/plugin"
)

var seen = map[string]int{}

func main() {
	for _, arg := range os.Args[1:] {
		count(arg)
		fmt.Println(symtab.Intern(arg), plugin.Load(arg))
	}
}

func count(arg string) {
	seen[arg]++ // near miss: a one-shot command's own table
}
