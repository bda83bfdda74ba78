package sup

import (
	"os"
	"time"
)

func stale() {
	x := 1 //nolint:TIM005 // want: SUP001
	_ = x
}

//gostatic:ignore TIM004 the loop runs at most three times // want: SUP001
func staleAbove() {}

func staleName() {
	t := time.Now() // nolint:defer-in-loop // want: SUP001
	_ = t
}

//nolint:gostatic // want: SUP001
func staleAll() {}

// Near misses: a suppression that suppresses, other linters' codes, bare //nolint and //nolint:all,
// a file-level ignore that is used.

func used(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close() //nolint:TIM005 // closed at exit on purpose
	}
}

func usedByName(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close() //nolint:defer-in-loop,errcheck // both linters
	}
}

func otherLinters() {
	y := 2 //nolint:errcheck,gosec // not ours
	_ = y
}

func bare() {
	z := 3 //nolint
	_ = z
	w := 4 //nolint:all // every linter
	_ = w
}

func usedAbove(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		//gostatic:ignore TIM005 closed when the function returns, bounded by len(paths)
		defer f.Close()
	}
}

func usedStatement(paths []string) {
	for _, p := range paths {
		//nolint:TIM005 // the whole statement below is covered
		defer func() {
			_ = p
		}()
	}
}
