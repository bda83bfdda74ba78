package box

import (
	"errors"
	"fmt"
	lg "log"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"time"
)

type point struct{ x, y int }

type celsius float64

type handle struct{ p *point }

type flag struct{ on bool }

type empty struct{}

func printAll(xs []int, names []string, logger *lg.Logger) {
	for i, x := range xs {
		fmt.Println("item", x)              // want: BOX001
		fmt.Printf("%d: %s\n", i, names[i]) // want: BOX001 BOX001
		lg.Printf("value %d", x*2)          // want: BOX001
		logger.Println(names)               // want: BOX001
		slog.Info("tick", "n", x)           // want: BOX001
	}
}

func nested(grid [][]point, temps []celsius, d time.Duration) {
	for _, row := range grid {
		for _, p := range row {
			fmt.Fprintln(os.Stderr, p, d) // want: BOX001 BOX001
		}
	}
	for i := range temps {
		fmt.Print(temps[i]) // want: BOX001
	}
}

func handler(w http.ResponseWriter, r *http.Request) {
	n := len(r.URL.Path)
	fmt.Fprintf(w, "length %d", n) // want: BOX001
}

func goroutine(ch chan int, total *int) {
	go func() {
		count := 0
		for v := range ch {
			count += v
		}
		fmt.Println("total", count) // after the loop: once per goroutine
		*total = count
	}()
}

// Near misses: nothing here allocates per iteration.
const limit = 10

func nearMisses(xs []int, args []any, ptrs []*point, m map[string]int, done chan struct{}, err error, ok bool, b byte) {
	fmt.Println("once", len(xs)) // not in a loop
	for i := range xs {
		fmt.Println("const", limit, 42, "text", 1.5)           // constants
		fmt.Println(ptrs[i], m, done)                          // pointer-shaped values
		fmt.Println(err)                                       // already an interface
		fmt.Println(ok, b, int8(i))                            // one-byte values come from a static table
		fmt.Println(empty{}, handle{p: ptrs[i]}, flag{on: ok}) // zero-sized, pointer-shaped, one byte
		fmt.Println(args...)                                   // no conversion at the call
		fmt.Println(point{1, 2})                               // constant composite literal: read-only data
		if xs[i] < 0 {
			fmt.Println("negative", xs[i]) // want: BOX001
			continue
		}
		if xs[i] > 100 {
			lg.Printf("too big: %d", xs[i]) // runs once: the loop ends here
			return
		}
		if xs[i] == 50 {
			panic(fmt.Sprintf("bad %d", xs[i])) // runs once
		}
	}
	for _, x := range xs {
		if x == 0 {
			_ = errors.New(fmt.Sprintf("zero at %d", x)) // the loop ends here: once
			break
		}
	}
}

const debugBox = false

func debugLoop(xs []int, verbose bool) {
	for _, x := range xs {
		if debugBox {
			fmt.Println("x", x) // compiled away: the condition is a false constant
		}
		if debugBox && verbose {
			fmt.Println("x", x)
		}
	}
}

func platformLoop(xs []string) {
	for _, x := range xs {
		switch runtime.GOOS {
		case "plan9":
			fmt.Println("plan9", x) // compiled away on other systems
		default:
			fmt.Println("other", x) // which case survives depends on the target: silent
		}
		fmt.Println(runtime.GOOS, time.Second, x) // want: BOX001
	}
}
