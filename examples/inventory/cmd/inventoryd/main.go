// Command inventoryd serves the inventory.
package main

import (
	"log"
	"net/http"

	"example.com/inventory/server"
	"example.com/inventory/worker"
)

func main() {
	http.Handle("/item", &server.Server{})
	http.HandleFunc("/import", server.Import)
	http.HandleFunc("/health", server.Health)
	r := &worker.Refresher{}
	r.Start([]string{"a", "b"})
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", nil))
}
