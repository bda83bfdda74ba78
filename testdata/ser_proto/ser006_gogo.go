package ser

import (
	gogoproto "github.com/gogo/protobuf/proto"
)

func sendAllGogo(msgs []gogoproto.Message, send func([]byte) error) error {
	for _, m := range msgs {
		b, err := gogoproto.Marshal(m) // want: SER006
		if err != nil {
			return err
		}
		if err := send(b); err != nil {
			return err
		}
	}
	return nil
}

// Near misses: once, outside hot code; a reused gogo Buffer in the loop.
func encodeOneGogo(m gogoproto.Message) ([]byte, error) {
	return gogoproto.Marshal(m)
}

func sendAllGogoBuffer(msgs []gogoproto.Message, send func([]byte) error) error {
	b := gogoproto.NewBuffer(nil)
	for _, m := range msgs {
		b.Reset()
		if err := b.Marshal(m); err != nil {
			return err
		}
		if err := send(b.Bytes()); err != nil {
			return err
		}
	}
	return nil
}
