// gostatic:go1.23
package gor

import "time"

// At Go 1.23 and later an unreferenced ticker is collected: time.Tick is fine.

func pollNew(stop <-chan struct{}, f func()) {
	tick := time.Tick(time.Second)
	for {
		select {
		case <-stop:
			return
		case <-tick:
			f()
		}
	}
}

func tickerFactoryNew() <-chan time.Time { return time.Tick(time.Minute) }

func sampleNew(stop <-chan struct{}, f func()) {
	for {
		select {
		case <-stop:
			return
		case <-time.Tick(time.Millisecond):
			f()
		}
	}
}
