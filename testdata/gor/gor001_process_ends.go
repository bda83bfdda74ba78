package gor

import (
	"crypto/md5"
	"os"
	"syscall"
)

// Goroutines started right before the process is replaced or ends do not outlive it.
func reexecWithLoad(threads int, argv []string) error {
	for n := threads; n > 0; n-- {
		go func() {
			for {
				_ = md5.Sum([]byte("load"))
			}
		}()
	}
	if err := syscall.Exec(argv[0], argv, os.Environ()); err != nil {
		return err
	}
	return nil
}

func burnThenExit(code int) {
	go func() {
		for {
			_ = md5.Sum([]byte("load"))
		}
	}()
	os.Exit(code)
}

// Near miss: the exec happens only on one branch, so the goroutine may outlive it.
func maybeReexec(again bool, argv []string) {
	go func() { // want: GOR001
		for {
			_ = md5.Sum([]byte("load"))
		}
	}()
	if again {
		_ = syscall.Exec(argv[0], argv, os.Environ())
	}
}

// Code that never runs: a goroutine under a constant-false switch is not started.
const spinForever = false

var spinMaybe = false

func spinners() {
	if spinForever {
		go func() {
			for {
				_ = md5.Sum([]byte("load"))
			}
		}()
	}
	if spinMaybe {
		go func() { // want: GOR001
			for {
				_ = md5.Sum([]byte("load"))
			}
		}()
	}
}
