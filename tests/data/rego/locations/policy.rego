package main

deny_latest contains {"msg": msg, "path": ["spec", "template", "spec", "containers", i, "image"]} if {
	some i, c in input.spec.template.spec.containers
	endswith(c.image, ":latest")
	msg := sprintf("container %s uses a :latest image", [c.name])
}

warn_replicas contains {"msg": "a single replica", "_loc": "spec.replicas"} if {
	input.spec.replicas == 1
}

deny_plain contains "every ConfigMap is denied" if input.kind == "ConfigMap"
