package box

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Variables of standard-library packages have known types: io.EOF is an error, os.Args a []string.
func packageVars() []string {
	return []string{
		fmt.Sprintf("%v", io.EOF),     // want: BOX003
		fmt.Sprint(os.ErrNotExist),    // want: BOX003
		fmt.Sprintf("%s", os.Args[0]), // want: BOX003
		strings.Join(os.Args, " "),
	}
}

// Near misses: a pointer to a struct (may have a String method); an unlisted variable.
func packageVarsNear() []string {
	return []string{
		fmt.Sprint(time.UTC),
		fmt.Sprintf("%v", os.Getpagesize()),
		fmt.Sprintf("%v", io.Discard),
	}
}
