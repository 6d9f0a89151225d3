package kubernetes

is_deployment if input.kind == "Deployment"

is_service if input.kind == "Service"

containers contains c if {
	is_deployment
	some c in input.spec.template.spec.containers
}
