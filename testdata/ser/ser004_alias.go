package ser

import (
	"bytes"
	"net/http"
)

type blob = []byte

type rawBytes []byte

type textLabel string

// Conversions spelled with a name for []byte copy just the same.
func aliasRoundtrip(buf *bytes.Buffer) []byte {
	return blob(buf.String()) // want: SER004
}

func namedRoundtrip(buf *bytes.Buffer) rawBytes {
	return rawBytes(buf.String()) // want: SER004
}

func namedWrite(w http.ResponseWriter, s string) {
	w.Write(rawBytes(s)) // want: SER004
}

// Near misses: a name for string; a conversion of bytes already; a non-buffer String.
func toLabel(buf *bytes.Buffer) textLabel {
	return textLabel(buf.String())
}

func fromBytes(b []byte) blob {
	return blob(b)
}

type plainStringer struct{}

func (plainStringer) String() string { return "s" }

func notABuffer(s plainStringer) []byte {
	return blob(s.String())
}
