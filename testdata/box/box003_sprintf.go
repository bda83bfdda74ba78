package box

import (
	"errors"
	"fmt"
)

type label string

func keys(ids []int, big int64, name string, ok bool, err error) []string {
	return []string{
		fmt.Sprintf("%d", ids[0]),   // want: BOX003
		fmt.Sprint(ids[1]),          // want: BOX003
		fmt.Sprintf("%d", big),      // want: BOX003
		fmt.Sprintf("%s", name),     // want: BOX003
		fmt.Sprint(name + "!"),      // want: BOX003
		fmt.Sprintf("%t", ok),       // want: BOX003
		fmt.Sprintf("%v", err),      // want: BOX003
		fmt.Sprintf(`%v`, len(ids)), // want: BOX003
	}
}

// Near misses.
func keysNear(l label, f float64, ids []int, args []any) []string {
	return []string{
		fmt.Sprintf("%s", l),         // a named type may have a String method
		fmt.Sprintf("%v", f),         // floats: no single strconv call with the same output
		fmt.Sprintf("id-%d", ids[0]), // more than one conversion
		fmt.Sprintf("%x", ids[0]),    // hex: strconv.FormatInt(.., 16) is not the same call
		fmt.Sprint(args...),          // spread
		fmt.Sprint(errors.New("x"), 1),
		fmt.Errorf("%v", f).Error(),
	}
}
