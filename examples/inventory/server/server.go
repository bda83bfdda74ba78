// Package server exposes the inventory over HTTP.
package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"

	"example.com/inventory/cache"
)

type Server struct {
	ctx    context.Context
	lookup func(context.Context, string) (*cache.Item, error)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	sku := r.URL.Query().Get("sku")
	if sku == "" {
		http.Error(w, "missing sku", http.StatusBadRequest)
		return
	}
	defer cancel()
	ctx = context.WithValue(ctx, "sku", sku)
	it, err := s.lookup(ctx, sku)
	if err != nil {
		log.Printf("lookup %s failed after %d ms: %v", sku, time.Since(time.Now()).Milliseconds(), err)
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	body, err := json.Marshal(it)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Write(body)
}

// Import reads a batch of items posted as JSON.
func Import(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var batch []cache.Item
	if err := json.Unmarshal(data, &batch); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	summary := ""
	for i := range batch {
		cache.Put(&batch[i])
		summary += batch[i].SKU + ","
	}
	fmt.Fprint(w, summary)
}

// Health is the idiomatic handler: nothing to report here.
func Health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	select {
	case <-ctx.Done():
		http.Error(w, "timeout", http.StatusGatewayTimeout)
	default:
		io.WriteString(w, "ok\n")
	}
}
