package main

# conftest's per-file data document: data.conftest.file.{name, dir}
deny contains msg if {
	input.kind == "Secret"
	endswith(data.conftest.file.name, ".sops.yaml")
	not input.sops
	msg := sprintf("%s must be encrypted with SOPS", [data.conftest.file.name])
}

# A boolean rule: conftest counts it as a pass, whatever its value.
deny_boolean if {
	input.kind == "Secret"
}
