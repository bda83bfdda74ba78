// A command that serves: its process lives on, and a table that only grows is a leak.
package main

import (
	"net/http"

	"gostatic.test/testdata/ret/cmd/daemon/internal/sessions"
)

var hits = map[string]int{}

func main() {
	http.HandleFunc("/", handle)
	// main's own body counts as start-up, but what its handlers call runs per request
	http.HandleFunc("/peer", func(w http.ResponseWriter, r *http.Request) { notePeer(r.RemoteAddr) })
	_ = http.ListenAndServe(":8080", nil)
}

var peers = map[string]int{}

func notePeer(addr string) {
	peers[addr]++ // want: RET001
}

func handle(w http.ResponseWriter, r *http.Request) {
	hits[r.URL.Path]++ // want: RET001
	sessions.Open(r.URL.Query().Get("id"))
}
