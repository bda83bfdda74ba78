package box

import (
	f "fmt"
	sc "strconv"
)

// strconv is imported under another name: the fix uses it; fmt stays used by Errorf below.
func describe(n int, names []string) (string, error) {
	s := f.Sprintf("%d", n)                                                 // want: BOX003
	return s + sc.Quote(names[0]) + f.Sprint(names[0]), f.Errorf("n=%d", n) // want: BOX003
}
