package tim

import "runtime"

type Resource struct{ id int }

func release(int) {}

func track(r *Resource) {
	runtime.SetFinalizer(r, func(r *Resource) { release(r.id) }) // want: TIM003
}

func trackNamed(r *Resource) {
	runtime.SetFinalizer(r, finalize) // want: TIM003
}

func finalize(r *Resource) { release(r.id) }

func trackInClosure() func(*Resource) {
	return func(r *Resource) {
		runtime.SetFinalizer(r, finalize) // want: TIM003
	}
}

// Near misses: AddCleanup; clearing a finalizer with nil; a method called SetFinalizer on a local type.

func cleanup(r *Resource) {
	runtime.AddCleanup(r, release, r.id)
}

func clear(r *Resource) {
	runtime.SetFinalizer(r, nil)
}

type registry struct{}

func (registry) SetFinalizer(any, any) {}

func localMethod(r *Resource) {
	var runtime registry
	runtime.SetFinalizer(r, finalize)
}
