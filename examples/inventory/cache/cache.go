// Package cache keeps recently looked-up items in memory.
package cache

import (
	"strings"
	"sync"
)

// Item is a stock record.
type Item struct {
	SKU   string
	Name  string
	Count int
}

var (
	mu    sync.Mutex
	items = map[string]*Item{} // grows with every SKU ever seen
	tags  []string
	names sync.Map
)

// Put remembers an item.
func Put(it *Item) {
	mu.Lock()
	defer mu.Unlock()
	items[it.SKU] = it
}

// Get returns a remembered item.
func Get(sku string) (*Item, bool) {
	mu.Lock()
	defer mu.Unlock()
	it, ok := items[sku]
	return it, ok
}

// Tag records the category prefix of a description line.
func Tag(line string) {
	mu.Lock()
	defer mu.Unlock()
	tags = append(tags, line[:strings.IndexByte(line, ':')+1])
}

// RememberName keeps a display name.
func RememberName(sku, name string) {
	names.Store(sku, name)
}

// Normalize lower-cases SKUs; it is the idiomatic, allocation-aware version.
func Normalize(skus []string) []string {
	out := make([]string, 0, len(skus))
	for _, s := range skus {
		out = append(out, strings.ToLower(s))
	}
	return out
}
