package main

import rego.v1

deployment(affinity, containers) := {"kind": "Deployment", "metadata": {"name": "web"},
	"spec": {"template": {"spec": {"affinity": affinity, "containers": containers}}}}

test_null_affinity_is_missing if {
	violation == {"Deployment/web: spec.affinity.podAntiAffinity not set"} with input as deployment(null, [])
}

test_set_anti_affinity_passes if {
	count(violation) == 0 with input as deployment({"podAntiAffinity": {}}, [])
}

test_shadowed_name_in_comprehension_is_the_image if {
	pods := [{"name": "web", "image": "nginx:1.27"}, {"name": "log", "image": "fluent-bit:3"}]
	deny == {`web: a container shares the Deployment's name, running ["nginx:1.27"]`} with input as deployment({}, pods)
}

test_no_container_named_like_the_deployment if {
	count(deny) == 0 with input as deployment({}, [{"name": "app", "image": "nginx:1.27"}])
}
