// Package shop is a small benchmark target for gostatic's profile tests: scripts/make_profiles.sh runs
// its benchmark with -cpuprofile and -memprofile, and tests/test_impact*.py check how the profiles are
// matched to these functions (pointer and value receivers, a closure, an inlined helper, a generic
// function) and how findings are ranked by them.
package shop

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Order is one purchase.
type Order struct {
	ID    int
	Items []string
	Price int
}

// Ledger records orders as text lines.
type Ledger struct {
	lines []string
	ids   []int64
	ctx   context.Context
}

type refundKey struct{}

var orderType = reflect.TypeOf(Order{})

// audit.lastRefund keeps a substring of an item, and the whole item with it: memory kept, however rarely
// the refund branch runs, so the profile's silence there does not hide it.
var audit struct{ lastRefund string }

// Record is a method with a pointer receiver and no loop: hot only because the profile samples it.
func (l *Ledger) Record(o *Order) {
	v := reflect.New(orderType)
	v.Elem().Field(0).SetInt(int64(o.ID))
	l.ids = append(l.ids, v.Elem().Field(0).Int())
	l.lines = append(l.lines, label(o.ID))
	if o.Price < 0 { // no refund in the benchmark: no sample reaches this block, so it is cold by the profile
		l.lines = append(l.lines, fmt.Sprintf("refund %d", o.ID))
		audit.lastRefund = o.Items[0][1:] // want: RET004
		ctx, flagged := l.ctx, 0
		for range o.Items {
			if ctx.Value(refundKey{}) != nil { // want: CTX003
				flagged++
			}
		}
		l.ids = append(l.ids, int64(flagged))
	}
	if len(l.lines) > 64 {
		l.lines = l.lines[:0]
		l.ids = l.ids[:0]
	}
}

// label is small enough to be inlined into Record: the profile shows it as an inlined frame.
func label(id int) string {
	return "order-" + strconv.Itoa(id)
}

// Key has a value receiver.
func (o Order) Key() string {
	return strings.Join(o.Items, ",")
}

// Total sums the orders through a closure (Total.func1 in the profile).
func Total(orders []Order) int {
	sum := 0
	add := func(o Order) {
		for _, it := range o.Items {
			sum += len(fmt.Sprint(it, o.Items)) * o.Price // want: BOX001 BOX001
			if it == "" { // no empty item in the benchmark: hot by its loop, cold by the profile
				sum += len(fmt.Sprint(o.ID, o.Items)) // want: BOX001 BOX001
			}
		}
	}
	steps := []func(Order){add} // called through a slice: not inlined, so it keeps its own frames
	for _, o := range orders {
		steps[0](o)
	}
	return sum
}

// Keys is generic (Keys[...] in the profile).
func Keys[T interface{ Key() string }](xs []T) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, x.Key())
	}
	return out
}

// Audit is never run by the benchmark: its findings are in code the profile never sampled.
func Audit(orders []Order) []int64 {
	var out []int64 // want: SER005
	for range orders {
		out = append(out, reflect.New(orderType).Elem().Field(0).Int()) // want: BOX002
	}
	return out
}

// Wait is never run by the benchmark either; its lost cancel is a defect wherever it runs.
func Wait(parent context.Context) error {
	ctx, _ := context.WithTimeout(parent, time.Second) // want: CTX005
	<-ctx.Done()
	return ctx.Err()
}
