// Package report builds daily summaries.
package report

import (
	"fmt"
	"runtime"
	"strings"
)

// Line is one row of a report.
type Line struct {
	SKU    string
	Counts [16]int64
	Notes  string
	Ok     bool
	Total  int64
	Flag   bool
}

// Summary joins the rows.
func Summary(lines []Line) string {
	var parts []string
	for _, l := range lines {
		parts = append(parts, fmt.Sprintf("%s=%d", l.SKU, l.Total))
	}
	return strings.Join(parts, ";")
}

// Label is a tiny helper with a needless Sprintf.
func Label(sku string) string {
	return fmt.Sprintf("%s", sku)
}

// Handle wraps a file descriptor and closes it when collected.
type Handle struct{ fd int }

// Open returns a handle with a finalizer.
func Open(fd int) *Handle {
	h := &Handle{fd: fd}
	runtime.SetFinalizer(&h, func(**Handle) {})
	return h
}
