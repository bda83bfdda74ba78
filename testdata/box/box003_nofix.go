package box

import "fmt"

// The only fmt calls in this file are rewritable ones: fixing them all would leave "fmt" unused, so the
// finding comes without a fix.
func onlyFmt(n int, s string) string {
	return fmt.Sprint(n) + fmt.Sprintf("%s", s) // want: BOX003 BOX003
}
