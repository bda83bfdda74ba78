package tim

import (
	"os"
	"sync"
)

func sizes(paths []string) int64 {
	var total int64
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close() // want: TIM005
		st, _ := f.Stat()
		total += st.Size()
	}
	return total
}

func lockEach(mus []*sync.Mutex) {
	for _, mu := range mus {
		mu.Lock()
		defer mu.Unlock() // want: TIM005
	}
}

func nested(rows [][]string) {
	for _, row := range rows {
		for range row {
			defer func() { _ = recover() }() // want: TIM005
		}
	}
}

func infinite(ch chan *os.File) {
	for {
		f := <-ch
		if f == nil {
			return
		}
		defer f.Close() // want: TIM005
	}
}

func inSwitch(paths []string) {
	for _, p := range paths {
		switch p {
		case "":
			f, _ := os.Open(p)
			defer f.Close() // want: TIM005
			break
		}
	}
}

// Near misses: a func literal called per iteration; a defer followed by return (the loop ends there);
// a defer before the loop.

func perIteration(paths []string) {
	for _, p := range paths {
		func() {
			f, err := os.Open(p)
			if err != nil {
				return
			}
			defer f.Close()
		}()
	}
}

func findFirst(paths []string) *os.File {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close()
		return f
	}
	return nil
}

func lockOnce(mu *sync.Mutex, items []int) int {
	mu.Lock()
	defer mu.Unlock()
	n := 0
	for _, it := range items {
		n += it
	}
	return n
}

func breakAfter(paths []string) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err == nil {
			defer f.Close()
			break
		}
	}
}

func returnAfterBlock(mus []*sync.Mutex, last bool) {
	for _, mu := range mus {
		if last {
			mu.Lock()
			defer mu.Unlock()
		}
		return
	}
}

func ifElseLeaves(paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close()
		if st, err := f.Stat(); err != nil {
			return err
		} else {
			_ = st
			break
		}
	}
	return nil
}

func fixedList() {
	files := []string{"a", "b", "c"}
	for _, name := range files {
		f, _ := os.Open(name)
		defer f.Close()
	}
	for i := 0; i < 3; i++ {
		defer println(i)
	}
}

func growingList(extra string) {
	files := []string{"a", "b"}
	files = append(files, extra)
	for _, name := range files {
		f, _ := os.Open(name)
		defer f.Close() // want: TIM005
	}
}

func caseBreakStays(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close() // want: TIM005
		switch p {
		case "x":
			break
		}
	}
}

func shrunkList(short bool) {
	probes := []string{"a", "b"}
	if short {
		probes = probes[:1] // reslicing only shrinks it: still two iterations at most
	}
	for _, name := range probes {
		f, _ := os.Open(name)
		defer f.Close()
	}
}
