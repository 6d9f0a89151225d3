package main

import rego.v1

# `name := c.image` inside the comprehension declares a new `name` (OPA): before it,
# `name` is the Deployment's; after it, and in the comprehension's head, the image
deny contains msg if {
	name := input.metadata.name
	images := [name | some c in input.spec.template.spec.containers; c.name == name; name := c.image]
	count(images) > 0
	msg := sprintf("%s: a container shares the Deployment's name, running %v", [name, images])
}
