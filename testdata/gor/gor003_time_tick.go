// gostatic:go1.22
package gor

import (
	tm "time"
)

func pollEvery(stop <-chan struct{}, f func()) {
	tick := tm.Tick(tm.Second) // want: GOR003
	for {
		select {
		case <-stop:
			return
		case <-tick:
			f()
		}
	}
}

type sampler struct{ n int }

func (s *sampler) sample(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-tm.Tick(tm.Millisecond): // want: GOR003
			s.n++
		}
	}
}

func tickerFactory() <-chan tm.Time {
	return tm.Tick(tm.Minute) // want: GOR003
}

// Near misses: once per program, or a stoppable ticker.

var heartbeatTick = tm.Tick(tm.Minute)

func init() {
	go func() {
		for range tm.Tick(tm.Hour) {
		}
	}()
}

func pollStoppable(stop <-chan struct{}, f func()) {
	t := tm.NewTicker(tm.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			f()
		}
	}
}

type clock struct{}

func (clock) Tick(tm.Duration) <-chan tm.Time { return nil }

func fakeTick(c clock) <-chan tm.Time { return c.Tick(tm.Second) }
