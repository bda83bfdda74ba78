// gostatic:go1.23
package tim

import "runtime"

// Near misses: before Go 1.24 there is no AddCleanup, so SetFinalizer is not reported.
func trackOld(r *Resource) {
	runtime.SetFinalizer(r, func(*Resource) {})
}

func trackOldNamed(r *Resource) {
	runtime.SetFinalizer(r, finalize)
}

func trackOldLiteral() {
	runtime.SetFinalizer(&Resource{id: 1}, finalize)
}
