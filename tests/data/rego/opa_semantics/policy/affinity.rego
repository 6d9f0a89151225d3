package main

import data.lib.core

violation[msg] {
	input.kind == "Deployment"
	core.missing_field(input.spec.template.spec.affinity, "podAntiAffinity")
	msg := sprintf("%s/%s: spec.affinity.podAntiAffinity not set", [input.kind, input.metadata.name])
}
