package msg

// roster holds the messages of the roster import and export (package roster).
var roster = map[string]string{}
