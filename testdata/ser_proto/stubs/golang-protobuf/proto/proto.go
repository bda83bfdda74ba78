// Package proto is a stub of github.com/golang/protobuf/proto (the v1 API): the signatures SER006's
// cases call, with no encoding behind them.
package proto

// Message stands in for the v1 message interface.
type Message interface {
	Reset()
	String() string
	ProtoMessage()
}

// Marshal returns the wire encoding of pb (the stub returns nothing).
func Marshal(pb Message) ([]byte, error) { return nil, nil }
