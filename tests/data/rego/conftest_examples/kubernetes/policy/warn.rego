package main

warn_default_namespace contains msg if {
	not input.metadata.namespace
	msg := sprintf("%s %s has no namespace and would land in default", [input.kind, input.metadata.name])
}

warn_default_namespace contains msg if {
	input.metadata.namespace == "default"
	msg := sprintf("%s %s is in the default namespace", [input.kind, input.metadata.name])
}
