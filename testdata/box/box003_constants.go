package box

import "fmt"

const retries = 3

const greeting = "hello"

const typedLimit int64 = 10

// Untyped constants take their default type when passed to fmt: fmt still parses the format and boxes them.
func constantKeys() []string {
	return []string{
		fmt.Sprintf("%d", 42),         // want: BOX003
		fmt.Sprint("x"),               // want: BOX003
		fmt.Sprintf("%v", retries),    // want: BOX003
		fmt.Sprintf("%s", greeting),   // want: BOX003
		fmt.Sprintf("%d", typedLimit), // want: BOX003
		fmt.Sprint(true),              // want: BOX003
	}
}

// Near misses: constants whose default type has no single strconv equivalent.
func constantKeysNear() []string {
	return []string{
		fmt.Sprint(1.5),        // float64: %v formatting differs from every strconv.FormatFloat call
		fmt.Sprint('a'),        // rune: prints the code point, not a strconv.Itoa call on an int
		fmt.Sprintf("%x", 255), // hex
		fmt.Sprintf("%q", "x"), // quoting
		fmt.Sprint(nil),        // untyped nil has no default type
	}
}
