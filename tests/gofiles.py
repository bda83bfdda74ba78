"""Small Go sources shared by the CLI tests."""

DEFER_IN_LOOP = """package p

import "os"

func sizes(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close()
	}
}
"""

CLEAN = """package p

func add(a, b int) int { return a + b }
"""

LOST_CANCEL = """package p

import (
	"context"
	"time"
)

func fetch(ctx context.Context) error {
	ctx, _ = context.WithTimeout(ctx, time.Second)
	return ctx.Err()
}
"""

SET_FINALIZER = """package p

import "runtime"

type R struct{ id int }

func track(r *R) {
	runtime.SetFinalizer(r, func(*R) {})
}
"""
