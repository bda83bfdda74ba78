package gor

import (
	"context"
	"log"
	"net"
	"os"
	"sync"
	"time"
)

// Positives: loops with no condition and no way out.

func startPoller(poll func()) {
	go func() { // want: GOR001
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for range t.C {
			poll()
		}
	}()
}

func startSpinner(work func() bool) {
	go func() { // want: GOR001
		for {
			if !work() {
				continue
			}
			time.Sleep(time.Millisecond)
		}
	}()
}

func startTicking(report func(time.Time)) {
	go func() { // want: GOR001
		for now := range time.Tick(time.Minute) {
			report(now)
		}
	}()
}

func startSelectLoop(work func()) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	go func() { // want: GOR001
		for {
			select {
			case <-t.C:
				work()
				break // leaves the select, not the loop
			}
		}
	}()
}

// Near misses: every loop has a way out.

func startWithContext(ctx context.Context, poll func()) {
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				poll()
			}
		}
	}()
}

func startWorkers(jobs <-chan int, handle func(int)) {
	for i := 0; i < 4; i++ {
		go func() {
			for j := range jobs {
				handle(j)
			}
		}()
	}
}

func serveConns(l net.Listener, handle func(net.Conn)) {
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go handle(c)
		}
	}()
}

func startLabelled(done chan struct{}, work func()) {
	go func() {
	loop:
		for {
			select {
			case <-done:
				break loop
			default:
				work()
			}
		}
		log.Print("stopped")
	}()
}

func startFatal(check func() error) {
	go func() {
		for {
			if err := check(); err != nil {
				log.Fatal(err)
			}
		}
	}()
}

func startExit(check func() bool) {
	go func() {
		for {
			if !check() {
				os.Exit(1)
			}
		}
	}()
}

func startReceiver(in chan string, out func(string)) {
	go func() {
		for {
			out(<-in)
		}
	}()
}

var startOnce sync.Once

func startSingleton(work func()) {
	startOnce.Do(func() {
		go func() {
			for {
				work()
			}
		}()
	})
}

func init() {
	go func() {
		for {
			time.Sleep(time.Hour)
		}
	}()
}

var watcher struct {
	sync.Mutex
	once sync.Once
	seen int
}

func watchLoop() {
	for {
		time.Sleep(time.Second)
		watcher.Lock()
		watcher.seen++
		watcher.Unlock()
	}
}

func startWatcher() {
	watcher.once.Do(func() { go watchLoop() })
}
