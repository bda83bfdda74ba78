package box

import (
	_ "unsafe"
)

// The directives stand apart from the declarations so that gofmt keeps each annotation right below its
// directive (in a doc comment it would move the directive last).

//go:linkname nanotime runtime.nanotime
// want-prev: BOX004

func nanotime() int64

//go:linkname fastrand runtime.fastrand
// want-prev: BOX004

func fastrand() uint32

//go:linkname procPin runtime.procPin
// want-prev: BOX004

func procPin() int

// Near misses.

//go:linkname localPush
func localPush() int { return 1 }

//go:linkname fromSync sync.runtime_notifyListCheck
func fromSync(size uintptr)

// go:linkname spaced runtime.nanotime is not a directive
func spaced() {}
