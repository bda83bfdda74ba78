package main

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"testing"

	"example.com/inventory/cache"
	"example.com/inventory/internal/bufpool"
	"example.com/inventory/report"
	"example.com/inventory/server"
)

// BenchmarkService drives the service's request paths; scripts/make_profiles.sh runs it with
// -cpuprofile to make this directory's default.pgo, which scripts/demo.sh ranks the findings by.
func BenchmarkService(b *testing.B) {
	items := make([]cache.Item, 200)
	lines := make([]report.Line, 200)
	for i := range items {
		items[i] = cache.Item{SKU: "sku-" + strconv.Itoa(i), Name: "widget", Count: i}
		lines[i] = report.Line{SKU: items[i].SKU, Total: int64(i)}
	}
	body, err := json.Marshal(items)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		importBatch(rec, body)
		_ = report.Summary(lines)
		_ = bufpool.Render("sku", 3)
	}
}

func importBatch(rec *httptest.ResponseRecorder, body []byte) {
	server.Import(rec, httptest.NewRequest("POST", "/import", bytes.NewReader(body)))
}
