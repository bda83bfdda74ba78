package ser

import "net/http"

// The name io is taken in this file: no import can be added, so no fix is offered.
func shout(w http.ResponseWriter, msg string) {
	io := len(msg)
	w.Write([]byte(msg)) // want: SER004
	_ = io
}
