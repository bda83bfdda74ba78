package syntax

import "os"

func broken( { // want: SYN001
}

// The rest of the file is still analysed after the error region.
func stillAnalysed(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close() // want: TIM005
	}
}
