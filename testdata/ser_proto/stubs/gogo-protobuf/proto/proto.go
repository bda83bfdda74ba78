// Package proto is a stub of github.com/gogo/protobuf/proto: the signatures SER006's cases call, with no
// encoding behind them.
package proto

// Message stands in for the gogo message interface.
type Message interface {
	Reset()
	String() string
	ProtoMessage()
}

// Marshal returns the wire encoding of pb (the stub returns nothing).
func Marshal(pb Message) ([]byte, error) { return nil, nil }

// Buffer is a reusable encoding buffer.
type Buffer struct{ buf []byte }

// NewBuffer returns a Buffer that appends to buf.
func NewBuffer(buf []byte) *Buffer { return &Buffer{buf: buf} }

// Marshal appends the encoding of pb to the buffer.
func (b *Buffer) Marshal(pb Message) error { return nil }

// Bytes returns the encoded bytes.
func (b *Buffer) Bytes() []byte { return b.buf }

// Reset empties the buffer, keeping its capacity.
func (b *Buffer) Reset() { b.buf = b.buf[:0] }
