package main

deny_run_as_root contains msg if {
	input.kind == "Deployment"
	not input.spec.template.spec.securityContext.runAsNonRoot
	msg := "Containers must not run as root"
}

exception contains rules if {
	input.kind == "Deployment"
	input.metadata.name == "can-run-as-root"
	rules := ["run_as_root"]
}
