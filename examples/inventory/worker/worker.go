// Package worker refreshes stock counts in the background.
package worker

import (
	"context"
	"log"
	"os"
	"time"

	"example.com/inventory/cache"
)

// Refresher polls a source and updates the cache.
type Refresher struct {
	seen  map[string]time.Time
	fetch func(string) (int, error)
}

// Start launches the refresh loop; it never stops.
func (r *Refresher) Start(skus []string) {
	go func() {
		for range time.Tick(time.Minute) {
			for _, sku := range skus {
				n, err := r.fetch(sku)
				if err != nil {
					log.Printf("refresh %s: %v", sku, err)
					continue
				}
				r.seen[sku] = time.Now()
				cache.Put(&cache.Item{SKU: sku, Count: n})
			}
		}
	}()
}

// Drain processes jobs until the channel is closed: the idiomatic worker.
func Drain(ctx context.Context, jobs <-chan string) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case sku, ok := <-jobs:
			if !ok {
				return
			}
			cache.RememberName(sku, sku)
		case <-t.C:
		}
	}
}

// Export writes one file per SKU.
func Export(dir string, skus []string) error {
	for _, sku := range skus {
		f, err := os.Create(dir + "/" + sku)
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := f.WriteString(sku); err != nil {
			return err
		}
	}
	return nil
}

// Wait blocks until ctx is done, checking every few seconds.
func Wait(ctx context.Context, ready func() bool) {
	for !ready() {
		select {
		case <-ctx.Done():
			return
		case <-time.After(5 * time.Second):
		}
	}
}

// Watch hands every SKU that arrives to handle until ctx is done, and wakes up every few seconds
// when none arrives. Each message starts another five-second timer before the last one fired.
func Watch(ctx context.Context, in <-chan string, handle func(string)) {
	for {
		select {
		case <-ctx.Done():
			return
		case sku := <-in:
			handle(sku)
		case <-time.After(5 * time.Second):
		}
	}
}
