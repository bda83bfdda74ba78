package serjson

import jsoniter "github.com/json-iterator/go"

// The usual drop-in: the package's other files call json.Marshal without importing jsoniter.
var json = jsoniter.ConfigCompatibleWithStandardLibrary

var fastJSON = jsoniter.Config{EscapeHTML: false}.Froze()
