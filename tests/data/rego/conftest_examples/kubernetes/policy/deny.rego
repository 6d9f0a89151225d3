package main

import data.kubernetes

name := input.metadata.name

deny_run_as_root contains msg if {
	kubernetes.is_deployment
	not input.spec.template.spec.securityContext.runAsNonRoot
	msg := sprintf("Containers must not run as root in Deployment %s", [name])
}

deny_missing_app_label contains msg if {
	not input.metadata.labels.app
	msg := sprintf("%s %s must have an app label", [input.kind, name])
}

# Images must come from a registry listed in data.allowed_registries (see data/).
deny_registry contains {"msg": msg, "path": ["spec", "template", "spec", "containers", i, "image"]} if {
	kubernetes.is_deployment
	some i, container in input.spec.template.spec.containers
	not allowed_image(container.image)
	msg := sprintf("image %s is not from an allowed registry", [container.image])
}

allowed_image(image) if {
	some prefix in data.allowed_registries
	startswith(image, prefix)
}
