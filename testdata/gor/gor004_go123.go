// gostatic:go1.23
package gor

import "time"

// From Go 1.23 on the same findings are info.

func tickNew(done <-chan struct{}, f func()) {
	t := time.NewTicker(time.Second) // want: GOR004
	for {
		select {
		case <-done:
			return
		case <-t.C:
			f()
		}
	}
}

func waitNew(done <-chan struct{}) bool {
	if true {
		tm := time.NewTimer(time.Second) // want: GOR004
		select {
		case <-done:
			return true
		case <-tm.C:
		}
	}
	return false
}

func waitStoppedNew(done <-chan struct{}) {
	t := time.NewTimer(time.Second)
	defer func() { t.Stop() }()
	select {
	case <-done:
	case <-t.C:
	}
}
