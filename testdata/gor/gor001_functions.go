package gor

import (
	"context"
	"time"
)

type pump struct {
	in   chan int
	tick *time.Ticker
	seen int
}

func (p *pump) spin() {
	for range p.tick.C {
		p.seen++
	}
}

func (p *pump) drain(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case v := <-p.in:
			p.seen += v
		}
	}
}

func heartbeat(beat func()) {
	for {
		beat()
		time.Sleep(time.Second)
	}
}

func heartbeatUntil(stop <-chan struct{}, beat func()) {
	for {
		select {
		case <-stop:
			return
		default:
			beat()
		}
	}
}

func panicky(step func() bool) {
	for {
		if !step() {
			panic("step failed")
		}
	}
}

func launchAll(ctx context.Context, p *pump, beat func(), stop chan struct{}) {
	go p.spin()          // want: GOR001
	go heartbeat(beat)   // want: GOR001
	go p.drain(ctx)      // a receive from ctx.Done() returns
	go heartbeatUntil(stop, beat)
	go panicky(func() bool { return true })
	var q pump
	go q.spin() // want: GOR001
}

func nested(work func() bool) {
	go func() { // want: GOR001
		for {
			for work() {
				break // leaves only the inner loop
			}
		}
	}()
	go func() {
	outer:
		for {
			for {
				if !work() {
					break outer
				}
			}
		}
	}()
}
