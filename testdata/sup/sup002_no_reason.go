package sup

import "os"

func noReason(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		//gostatic:ignore TIM005
		// want-prev: SUP002
		defer f.Close() // want: TIM005
	}
}

func noReasonSameLine(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close() //gostatic:ignore TIM005
		// want-prev: SUP002 TIM005
	}
}

//gostatic:file-ignore CTX001
// want-prev: SUP002

//gostatic:ignore
// want-prev: SUP002
func emptyIgnore() {}

// Near miss: a reason is given.
func withReason(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close() //gostatic:ignore TIM005 bounded by the caller
	}
}
